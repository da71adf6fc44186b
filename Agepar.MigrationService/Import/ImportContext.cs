using Agepar.Data.Auth;
using Agepar.Data.Protection;
using Npgsql;

namespace Agepar.MigrationService.Import;

/// <summary>A user of the target, as the importers resolve actors.</summary>
internal sealed record TargetUser(Guid Id, string Email, string Name, string? Cpf);

/// <summary>
/// Shared state of one run: the target connection and its single transaction (rolled back by a dry run), the source,
/// the report, and the maps later tables resolve against (old user id → target user, CPF/e-mail → target user).
/// </summary>
internal sealed class ImportContext(
    NpgsqlConnection target, NpgsqlTransaction transaction, IOldPortalSource source, ImportReport report, TextWriter filesReport, CpfProtector protector)
{
    /// <summary>Encrypts the CPFs written (docs/schema.md, "Encrypted CPFs") and decrypts the target's.</summary>
    public CpfProtector Protector => protector;

    public NpgsqlConnection Target => target;

    public NpgsqlTransaction Transaction => transaction;

    public IOldPortalSource Source => source;

    public ImportReport Report => report;

    /// <summary>Tab-separated list of files that imported submissions reference on the old portal's disk.</summary>
    public TextWriter FilesReport => filesReport;

    /// <summary>Old portal user id → the target user it became (imported, or already there with the same e-mail).</summary>
    public Dictionary<Guid, TargetUser> UsersByOldId { get; } = [];

    public Dictionary<Guid, TargetUser> UsersById { get; } = [];

    public Dictionary<string, TargetUser> UsersByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, TargetUser> UsersByCpf { get; } = new(StringComparer.Ordinal);

    /// <summary>Old role id → target role id.</summary>
    public Dictionary<Guid, Guid> RolesByOldId { get; } = [];

    /// <summary>The (target user, target role) grants the source's user_roles rows correspond to.</summary>
    public HashSet<(Guid, Guid)>? GrantsInTarget { get; set; }

    /// <summary>Old submission id (text) → target id, for audits that point at a submission.</summary>
    public Dictionary<string, Guid> SubmissionIds { get; } = new(StringComparer.Ordinal);

    public NpgsqlCommand Command(string sql) => new(sql, target, transaction);

    public void Remember(TargetUser user)
    {
        UsersById[user.Id] = user;
        UsersByEmail[user.Email] = user;
        if (user.Cpf is not null)
        {
            UsersByCpf[user.Cpf] = user;
        }
    }

    /// <summary>The target user behind an old actor snapshot: by CPF, else (old rows without CPF) by e-mail.</summary>
    public TargetUser? ResolveActor(string? cpf, string? email)
    {
        if (Cpf.Normalize(cpf) is { } digits && UsersByCpf.TryGetValue(digits, out var byCpf))
        {
            return byCpf;
        }

        return LegacyIdentity.NormalizeEmail(email) is { } address && UsersByEmail.TryGetValue(address, out var byEmail) ? byEmail : null;
    }

    /// <summary>
    /// True when the target has the encrypted CPF columns (migration EncryptedCpf): CPFs are written encrypted with
    /// their blind index. On a target migrated only up to before the audit chain (the switch-over day, docs/import.md)
    /// they go to the clear columns of that schema, and the migration service encrypts them when it migrates further.
    /// </summary>
    public bool EncryptsCpf { get; private set; }

    /// <summary>The CPF columns of an insert: <c>{prefix}cpf_encrypted, {prefix}cpf_hmac</c>, or <c>{prefix}cpf</c> on an older schema.</summary>
    public string CpfColumns(string prefix) => EncryptsCpf ? $"{prefix}cpf_encrypted, {prefix}cpf_hmac" : $"{prefix}cpf";

    /// <summary>Writes a CPF into the columns of <see cref="CpfColumns"/>.</summary>
    public async Task WriteCpfAsync(NpgsqlBinaryImporter writer, string? cpf, CancellationToken ct)
    {
        if (!EncryptsCpf)
        {
            await SubmissionImporter.WriteNullableAsync(writer, cpf, NpgsqlTypes.NpgsqlDbType.Char, ct);
            return;
        }

        var sealedCpf = protector.Protect(cpf);
        await SubmissionImporter.WriteNullableAsync(writer, sealedCpf?.Cipher, NpgsqlTypes.NpgsqlDbType.Bytea, ct);
        await SubmissionImporter.WriteNullableAsync(writer, sealedCpf?.Hmac, NpgsqlTypes.NpgsqlDbType.Bytea, ct);
    }

    /// <summary>Loads the target's users once, so every importer resolves against the same picture.</summary>
    public async Task LoadTargetUsersAsync(CancellationToken ct)
    {
        await using (var columns = Command(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' AND column_name = 'cpf_encrypted')"))
        {
            EncryptsCpf = (bool)(await columns.ExecuteScalarAsync(ct))!;
        }

        await using var command = Command(EncryptsCpf
            ? "SELECT id, email::text, name, cpf_encrypted, cpf_hmac FROM users"
            : "SELECT id, email::text, name, cpf::text, NULL::bytea FROM users");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var cpf = reader.IsDBNull(3) ? null
                : EncryptsCpf ? protector.Unprotect(reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4))
                : reader.GetString(3);
            Remember(new TargetUser(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), cpf));
        }
    }
}

/// <summary>The import cannot run at all (bad arguments, unreadable source, a target that would be harmed): nothing changed.</summary>
internal sealed class ImportRefusedException(string message) : Exception(message);
