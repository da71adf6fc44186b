namespace Agepar.MigrationService.Protection;

/// <summary>A table holding an encrypted CPF: its key column and the ciphertext/blind-index pair.</summary>
internal sealed record CpfTable(string Name, string IdColumn, string IdType, string ClearColumn, string CipherColumn, string HmacColumn, bool AppendOnly)
{
    /// <summary>The three tables with a CPF, in the order they are processed.</summary>
    public static IReadOnlyList<CpfTable> All { get; } =
    [
        new("users", "id", "uuid", "cpf", "cpf_encrypted", "cpf_hmac", AppendOnly: false),
        new("submissions", "id", "uuid", "actor_cpf", "actor_cpf_encrypted", "actor_cpf_hmac", AppendOnly: false),
        // Append-only: rewritten only inside a transaction with SET LOCAL agepar.audit_maintenance = 'on'.
        new("audits", "id", "bigint", "actor_cpf", "actor_cpf_encrypted", "actor_cpf_hmac", AppendOnly: true),
    ];
}
