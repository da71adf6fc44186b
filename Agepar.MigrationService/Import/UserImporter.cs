using Agepar.Data.Auth;
using NpgsqlTypes;

namespace Agepar.MigrationService.Import;

/// <summary>
/// users: Argon2 hashes kept as they are, statuses kept (same vocabulary), e-mail and CPF normalised with the BFF's
/// rules. Natural key: the id, then the e-mail (a user who already exists with that e-mail is "present" and the old
/// id maps to the existing one).
/// </summary>
internal static class UserImporter
{
    public const string TableName = "users";

    public static async Task RunAsync(ImportContext ctx, CancellationToken ct)
    {
        var table = ctx.Report.Table(TableName);
        var seenEmails = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        var seenCpfs = new Dictionary<string, Guid>(StringComparer.Ordinal);
        await foreach (var old in ctx.Source.ReadUsersAsync(ct))
        {
            table.Found++;
            var key = old.Id.ToString();
            var email = LegacyIdentity.NormalizeEmail(old.Email);
            if (email is null)
            {
                table.Reject(key, old.Email is null ? "e-mail missing (required by the new schema)" : "invalid e-mail", old.Email);
                continue;
            }

            string? cpf = null;
            if (!string.IsNullOrWhiteSpace(old.Cpf))
            {
                cpf = LegacyIdentity.ValidCpfOrNull(old.Cpf);
                if (cpf is null)
                {
                    table.Reject(key, "invalid CPF", email);
                    continue;
                }
            }

            if (old.Status is null || !UserStatus.All.Contains(old.Status))
            {
                table.Reject(key, "unknown status", old.Status ?? "null");
                continue;
            }

            var name = old.Name?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                table.Reject(key, "name missing", email);
                continue;
            }

            if (old.PasswordHash is { } hash && !hash.StartsWith("$argon2", StringComparison.Ordinal))
            {
                table.Reject(key, "password_hash is not an Argon2 PHC string", email);
                continue;
            }

            if (seenEmails.TryGetValue(email, out var firstWithEmail))
            {
                table.Reject(key, "duplicate e-mail in the source", $"{email}, kept {firstWithEmail}");
                continue;
            }

            if (cpf is not null && seenCpfs.TryGetValue(cpf, out var firstWithCpf))
            {
                table.Reject(key, "duplicate CPF in the source", $"kept {firstWithCpf}");
                continue;
            }

            seenEmails[email] = old.Id;
            if (cpf is not null)
            {
                seenCpfs[cpf] = old.Id;
            }

            if (ctx.UsersById.TryGetValue(old.Id, out var sameId))
            {
                if (!string.Equals(sameId.Email, email, StringComparison.OrdinalIgnoreCase))
                {
                    table.Reject(key, "id already used in the target by another e-mail", $"{email} vs {sameId.Email}");
                    continue;
                }

                table.Present++;
                ctx.UsersByOldId[old.Id] = sameId;
                continue;
            }

            if (ctx.UsersByEmail.TryGetValue(email, out var sameEmail))
            {
                table.Present++;
                ctx.UsersByOldId[old.Id] = sameEmail;
                continue;
            }

            if (cpf is not null && ctx.UsersByCpf.TryGetValue(cpf, out var sameCpf))
            {
                table.Reject(key, "CPF already belongs to another target user", $"{email} vs {sameCpf.Email}");
                continue;
            }

            await using (var insert = ctx.Command($"""
                INSERT INTO users (id, {ctx.CpfColumns("")}, email, name, password_hash, status, is_superuser, must_change_password, last_login_at, created_at)
                VALUES (@id, {(ctx.EncryptsCpf ? "@cpf_encrypted, @cpf_hmac" : "@cpf")}, @email, @name, @hash, @status, @super, @must, @last, coalesce(@created, now()))
                """))
            {
                insert.Parameters.AddWithValue("id", old.Id);
                if (ctx.EncryptsCpf)
                {
                    var sealedCpf = ctx.Protector.Protect(cpf);
                    insert.Parameters.AddWithValue("cpf_encrypted", NpgsqlDbType.Bytea, (object?)sealedCpf?.Cipher ?? DBNull.Value);
                    insert.Parameters.AddWithValue("cpf_hmac", NpgsqlDbType.Bytea, (object?)sealedCpf?.Hmac ?? DBNull.Value);
                }
                else
                {
                    insert.Parameters.AddWithValue("cpf", NpgsqlDbType.Char, (object?)cpf ?? DBNull.Value);
                }
                insert.Parameters.AddWithValue("email", email);
                insert.Parameters.AddWithValue("name", name);
                insert.Parameters.AddWithValue("hash", NpgsqlDbType.Text, (object?)old.PasswordHash ?? DBNull.Value);
                insert.Parameters.AddWithValue("status", old.Status);
                insert.Parameters.AddWithValue("super", old.IsSuperuser);
                insert.Parameters.AddWithValue("must", old.MustChangePassword);
                insert.Parameters.AddWithValue("last", NpgsqlDbType.TimestampTz, (object?)old.LastLoginAt ?? DBNull.Value);
                insert.Parameters.AddWithValue("created", NpgsqlDbType.TimestampTz, (object?)old.CreatedAt ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync(ct);
            }

            var user = new TargetUser(old.Id, email, name, cpf);
            ctx.Remember(user);
            ctx.UsersByOldId[old.Id] = user;
            table.Imported++;
        }
    }

    public static async Task VerifyAsync(ImportContext ctx, CancellationToken ct)
    {
        var table = ctx.Report.Table(TableName);
        await using var count = ctx.Command("SELECT count(*) FROM users WHERE id = ANY(@ids)");
        count.Parameters.AddWithValue("ids", ctx.UsersByOldId.Values.Select(u => u.Id).Distinct().ToArray());
        table.InTarget = (long)(await count.ExecuteScalarAsync(ct))!;
    }
}
