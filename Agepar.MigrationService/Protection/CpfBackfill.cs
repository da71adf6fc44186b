using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Protection;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.MigrationService.Protection;

/// <summary>
/// Between the migrations EncryptedCpf and DropClearCpf (docs/schema.md, "Encrypted CPFs"): encrypts every clear CPF
/// that has no ciphertext yet, in batches of <see cref="BatchSize"/> rows per transaction (keyset by id, so a restart
/// resumes where it stopped), replaces the CPFs typed at sign-in (<c>login_attempts.identifier</c> and the
/// <c>auth.login_failed</c> audits' <c>metadata.identifier</c>) by their blind index, and re-seals the audit chain
/// under encoding 2. Audits are changed through the maintenance path (<c>agepar.audit_maintenance</c>), which only the
/// owner role can take.
/// </summary>
internal sealed partial class CpfBackfill(NpgsqlDataSource dataSource, CpfProtector protector, ILogger logger)
{
    public const int BatchSize = 2000;

    /// <summary>True while the clear column <c>users.cpf</c> exists (EncryptedCpf applied, DropClearCpf not yet).</summary>
    public static async Task<bool> IsNeededAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' AND column_name = 'cpf')
               AND to_regclass('public.data_key_state') IS NOT NULL
            """);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var table in CpfTable.All)
        {
            var total = await EncryptTableAsync(table, ct);
            LogEncrypted(table.Name, total);
        }

        LogIdentifiers(await ReplaceTypedIdentifiersAsync(ct));
        await AuditChainReseal.RunAsync(dataSource, logger, ct);
    }

    private async Task<long> EncryptTableAsync(CpfTable t, CancellationToken ct)
    {
        // Keyset by id: every batch starts after the last id seen, so the whole run reads the table once.
        var select = $"""
            SELECT {t.IdColumn}, {t.ClearColumn}::text FROM {t.Name}
             WHERE {t.IdColumn} > @last AND {t.ClearColumn} IS NOT NULL AND {t.CipherColumn} IS NULL
             ORDER BY {t.IdColumn} LIMIT {BatchSize}
            """;
        var update = $"""
            UPDATE {t.Name} AS t SET {t.CipherColumn} = u.cipher, {t.HmacColumn} = u.hmac
              FROM unnest(@ids, @ciphers, @hmacs) AS u(id, cipher, hmac)
             WHERE t.{t.IdColumn} = u.id AND t.{t.CipherColumn} IS NULL
            """;
        object last = t.IdType == "uuid" ? Guid.Empty : long.MinValue;
        long total = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (t.AppendOnly)
            {
                await MaintenanceAsync(connection, transaction, ct);
            }

            var ids = new List<object>();
            var ciphers = new List<byte[]>();
            var hmacs = new List<byte[]>();
            await using (var command = new NpgsqlCommand(select, connection, transaction))
            {
                command.Parameters.AddWithValue("last", last);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var sealedCpf = protector.Protect(reader.GetString(1))!;
                    ids.Add(reader.GetValue(0));
                    ciphers.Add(sealedCpf.Cipher);
                    hmacs.Add(sealedCpf.Hmac);
                }
            }

            if (ids.Count == 0)
            {
                return total;
            }

            await using (var command = new NpgsqlCommand(update, connection, transaction))
            {
                command.Parameters.Add(t.IdType == "uuid"
                    ? new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.Cast<Guid>().ToArray() }
                    : new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids.Cast<long>().ToArray() });
                command.Parameters.Add(new NpgsqlParameter("ciphers", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = ciphers.ToArray() });
                command.Parameters.Add(new NpgsqlParameter("hmacs", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = hmacs.ToArray() });
                await command.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            total += ids.Count;
            last = ids[^1];
            LogProgress(t.Name, total);
        }
    }

    /// <summary>The CPFs people typed to sign in, stored before encryption: replaced by their blind index text.</summary>
    private async Task<long> ReplaceTypedIdentifiersAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await MaintenanceAsync(connection, transaction, ct);
        var typed = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT identifier FROM login_attempts WHERE identifier ~ '^[0-9]{11}$'
            UNION
            SELECT metadata->>'identifier' FROM audits
             WHERE action = 'auth.login_failed' AND metadata->>'identifierType' = 'cpf' AND metadata->>'identifier' ~ '^[0-9]{11}$'
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                typed.Add(reader.GetString(0));
            }
        }

        long changed = 0;
        if (typed.Count > 0)
        {
            await using var command = new NpgsqlCommand("""
                WITH m AS (SELECT * FROM unnest(@clear, @hashed) AS m(clear, hashed)),
                attempts AS (UPDATE login_attempts a SET identifier = m.hashed FROM m WHERE a.identifier = m.clear RETURNING 1),
                failed AS (
                    UPDATE audits a SET metadata = jsonb_set(a.metadata, '{identifier}', to_jsonb(m.hashed))
                      FROM m
                     WHERE a.action = 'auth.login_failed' AND a.metadata->>'identifierType' = 'cpf' AND a.metadata->>'identifier' = m.clear
                    RETURNING 1)
                SELECT (SELECT count(*) FROM attempts) + (SELECT count(*) FROM failed)
                """, connection, transaction);
            command.Parameters.AddWithValue("clear", typed.ToArray());
            command.Parameters.AddWithValue("hashed", typed.Select(protector.HmacText).ToArray());
            changed = (long)(await command.ExecuteScalarAsync(ct))!;
        }

        await transaction.CommitAsync(ct);
        return changed;
    }

    internal static async Task MaintenanceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SET LOCAL {DatabaseObjects.AuditMaintenanceSetting} = 'on'", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(LogLevel.Information, "CPF encryption: {Table}: {Rows} row(s) encrypted so far")]
    private partial void LogProgress(string table, long rows);

    [LoggerMessage(LogLevel.Information, "CPF encryption: {Table} done, {Rows} clear CPF(s) encrypted")]
    private partial void LogEncrypted(string table, long rows);

    [LoggerMessage(LogLevel.Information, "CPF encryption: {Rows} sign-in identifier(s) (login_attempts, auth.login_failed audits) replaced by their blind index")]
    private partial void LogIdentifiers(long rows);
}
