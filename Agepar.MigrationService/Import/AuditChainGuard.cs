namespace Agepar.MigrationService.Import;

/// <summary>
/// The tamper-evident audit chain (branch <c>chain</c>, migration <c>AuditChain</c>) reports any audit row whose
/// <c>occurred_at</c> is older than <c>AuditChain:MaxSealLag</c> when it is sealed, unless its id is at or below
/// <c>audit_chain_start.max_audit_id</c>. Imported history is exactly that, so on a database where the chain exists
/// the importer writes audits only where the chain records imports (<c>audit_imports</c>, migration
/// <c>AuditImports</c>: the verifier reports rows of a recorded range as imported, not back-dated); on a database
/// migrated only up to the chain but not that far it refuses before writing anything, rather than making the chain
/// report hundreds of thousands of breaks.
/// </summary>
internal static class AuditChainGuard
{
    public const string ImportsTable = Agepar.Data.DatabaseObjects.AuditImportsTable;

    /// <summary>Whether the chain exists, and whether it has the import exemption table.</summary>
    public static async Task<(bool Chain, bool Exemption)> ReadAsync(ImportContext ctx, CancellationToken ct)
    {
        await using var command = ctx.Command(
            $"SELECT to_regclass('public.audit_chain_start') IS NOT NULL, to_regclass('public.{ImportsTable}') IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    /// <summary>Thrown at the first audit row to write on a chained target without the exemption (so a source without audits still imports).</summary>
    public static ImportRefusedException Refusal() => new(
        "the audit hash chain is enabled (audit_chain_start exists) and has no import exemption (audit_imports): " +
        "imported historical audits would all be reported as back-dated. Import before the AuditChain migration " +
        "(Migrations:ApprovedTarget, docs/import.md) or apply the AuditImports migration first. Nothing was changed.");

    /// <summary>Records the id range this run's audits took, in the same transaction as the rows.</summary>
    public static async Task RecordAsync(ImportContext ctx, string label, long firstId, long lastId, long rows, CancellationToken ct)
    {
        await using var command = ctx.Command(
            $"INSERT INTO {ImportsTable} (first_audit_id, last_audit_id, row_count, source) VALUES (@first, @last, @rows, @source)");
        command.Parameters.AddWithValue("first", firstId);
        command.Parameters.AddWithValue("last", lastId);
        command.Parameters.AddWithValue("rows", rows);
        command.Parameters.AddWithValue("source", label);
        await command.ExecuteNonQueryAsync(ct);
    }
}
