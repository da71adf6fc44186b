using System.Text.RegularExpressions;
using NpgsqlTypes;

namespace Agepar.MigrationService.Import;

/// <summary>
/// roles and user_roles. A role is matched by name. A role this platform does not seed (the old portal created
/// <c>ca</c>, <c>cof</c>, <c>controle</c>, <c>coordendor_ca</c>… through its accounts UI) is <b>created</b>, not
/// rejected: dropping it would silently drop grants an administrator made, while an extra role grants nothing until
/// code or an administrator gives it meaning. Names that do not fit this schema's rule are rejected.
/// </summary>
internal static partial class RoleImporter
{
    public const string RolesTable = "roles";
    public const string UserRolesTable = "user_roles";

    public static async Task RunAsync(ImportContext ctx, CancellationToken ct)
    {
        var table = ctx.Report.Table(RolesTable);
        var byName = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var ids = new HashSet<Guid>();
        await using (var load = ctx.Command("SELECT id, name FROM roles"))
        await using (var reader = await load.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                byName[reader.GetString(1)] = reader.GetGuid(0);
                ids.Add(reader.GetGuid(0));
            }
        }

        var importedNames = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var old in ctx.Source.ReadRolesAsync(ct))
        {
            table.Found++;
            var name = old.Name?.Trim() ?? "";
            if (!RoleName().IsMatch(name))
            {
                table.Reject(old.Id.ToString(), "role name does not match ^[a-z0-9_.:-]{2,100}$", old.Name ?? "null");
                continue;
            }

            if (byName.TryGetValue(name, out var existing))
            {
                ctx.RolesByOldId[old.Id] = existing;
                if (importedNames.Contains(name))
                {
                    table.Reject(old.Id.ToString(), "duplicate role name in the source", name);
                    continue;
                }

                table.Present++;
                continue;
            }

            var id = ids.Contains(old.Id) ? Guid.CreateVersion7() : old.Id;
            await using (var insert = ctx.Command("INSERT INTO roles (id, name, description, created_at) VALUES (@id, @name, @description, coalesce(@created, now()))"))
            {
                insert.Parameters.AddWithValue("id", id);
                insert.Parameters.AddWithValue("name", name);
                insert.Parameters.AddWithValue("description", NpgsqlDbType.Text,
                    (object?)(old.Description ?? "Importado do portal anterior") ?? DBNull.Value);
                insert.Parameters.AddWithValue("created", NpgsqlDbType.TimestampTz, (object?)old.CreatedAt ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync(ct);
            }

            byName[name] = id;
            ids.Add(id);
            importedNames.Add(name);
            ctx.RolesByOldId[old.Id] = id;
            table.Imported++;
        }

        await GrantsAsync(ctx, ct);
    }

    private static async Task GrantsAsync(ImportContext ctx, CancellationToken ct)
    {
        var table = ctx.Report.Table(UserRolesTable);
        var existing = new HashSet<(Guid, Guid)>();
        await using (var load = ctx.Command("SELECT user_id, role_id FROM user_roles WHERE user_id = ANY(@users)"))
        {
            load.Parameters.AddWithValue("users", ctx.UsersByOldId.Values.Select(u => u.Id).Distinct().ToArray());
            await using var reader = await load.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                existing.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        var accounted = new HashSet<(Guid, Guid)>();
        await foreach (var old in ctx.Source.ReadUserRolesAsync(ct))
        {
            table.Found++;
            var key = $"{old.UserId}/{old.RoleId}";
            if (!ctx.UsersByOldId.TryGetValue(old.UserId, out var user))
            {
                table.Reject(key, "its user was not imported (rejected or missing)");
                continue;
            }

            if (!ctx.RolesByOldId.TryGetValue(old.RoleId, out var roleId))
            {
                table.Reject(key, "its role was not imported (rejected or missing)");
                continue;
            }

            if (!accounted.Add((user.Id, roleId)))
            {
                // Two old users merged into one target user (same e-mail) holding the same role.
                table.Reject(key, "grant duplicates another imported grant");
                continue;
            }

            if (!existing.Add((user.Id, roleId)))
            {
                table.Present++;
                continue;
            }

            await using var insert = ctx.Command("INSERT INTO user_roles (user_id, role_id, granted_at) VALUES (@user, @role, coalesce(@granted, now()))");
            insert.Parameters.AddWithValue("user", user.Id);
            insert.Parameters.AddWithValue("role", roleId);
            insert.Parameters.AddWithValue("granted", NpgsqlDbType.TimestampTz, (object?)old.GrantedAt ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
            table.Imported++;
        }

        ctx.GrantsInTarget = accounted;
    }

    public static async Task VerifyAsync(ImportContext ctx, CancellationToken ct)
    {
        var roles = ctx.Report.Table(RolesTable);
        await using (var count = ctx.Command("SELECT count(*) FROM roles WHERE id = ANY(@ids)"))
        {
            count.Parameters.AddWithValue("ids", ctx.RolesByOldId.Values.Distinct().ToArray());
            roles.InTarget = (long)(await count.ExecuteScalarAsync(ct))!;
        }

        var grants = ctx.Report.Table(UserRolesTable);
        await using (var count = ctx.Command("SELECT count(*) FROM user_roles WHERE (user_id, role_id) IN (SELECT * FROM unnest(@users, @roles))"))
        {
            var pairs = ctx.GrantsInTarget ?? [];
            count.Parameters.AddWithValue("users", pairs.Select(p => p.Item1).ToArray());
            count.Parameters.AddWithValue("roles", pairs.Select(p => p.Item2).ToArray());
            grants.InTarget = (long)(await count.ExecuteScalarAsync(ct))!;
        }
    }

    [GeneratedRegex("^[a-z0-9_.:-]{2,100}$")]
    private static partial Regex RoleName();
}
