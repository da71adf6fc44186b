using Agepar.Tests.Infrastructure;
using Npgsql;

namespace Agepar.Tests.Import;

/// <summary>
/// Builds the current portal's database in a scratch database of the fixture's server, with the layout of
/// shared/reference/original-portal.md §1.1 (users, roles, user_roles, audit_events) and §1.3 (submissions,
/// automation_audits). HR columns the importer does not read are left out. The unique constraints on users.email/cpf
/// are left out on purpose: the old init script skips them when duplicates already exist (§1.1), so dirty data can.
/// </summary>
internal static class OldPortalFixtures
{
    public const string Schema = """
        CREATE EXTENSION IF NOT EXISTS citext;
        CREATE TABLE users (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            cpf char(11) CHECK (cpf IS NULL OR cpf ~ '^[0-9]{11}$'),
            email citext,
            name text NOT NULL,
            password_hash text,
            phone text,
            status text NOT NULL DEFAULT 'active',
            source text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'eprotocolo')),
            is_superuser boolean NOT NULL DEFAULT false,
            attrs jsonb NOT NULL DEFAULT '{}',
            last_login_at timestamptz,
            verified_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            must_change_password boolean NOT NULL DEFAULT true);
        CREATE TABLE roles (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL UNIQUE, description text,
                            created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE user_roles (user_id uuid REFERENCES users(id) ON DELETE CASCADE, role_id uuid REFERENCES roles(id) ON DELETE CASCADE,
                                 granted_at timestamptz DEFAULT now(), PRIMARY KEY (user_id, role_id));
        CREATE TABLE audit_events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), actor_user_id uuid REFERENCES users(id),
                                   action text NOT NULL, object_type text, object_id text, message text,
                                   metadata jsonb NOT NULL DEFAULT '{}', ip inet, user_agent text, request_id uuid);
        CREATE TABLE submissions (id text PRIMARY KEY, kind text NOT NULL, version text NOT NULL, actor_cpf text, actor_nome text,
                                  actor_email text, payload jsonb NOT NULL, status text NOT NULL, result jsonb, error text,
                                  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE automation_audits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), actor_cpf text, actor_nome text,
                                        kind text NOT NULL, action text NOT NULL, meta jsonb);
        """;

    /// <summary>Creates an empty scratch database with the old layout; returns its superuser connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(AgeparAppFixture fixture, string name)
    {
        await using (var admin = await TestSql.OpenAsync(fixture))
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = await fixture.GetConnectionStringAsync(DbRole.Superuser, name);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var schema = new NpgsqlCommand(Schema, connection);
        await schema.ExecuteNonQueryAsync();
        return connectionString;
    }

    public static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = TestSql.Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs the built migration service's <c>import</c> verb against the fixture's agepar database.</summary>
    public static Task<(int ExitCode, string Output)> ImportAsync(AgeparAppFixture fixture, params string[] args) =>
        ImportIntoAsync(fixture, "agepar", args);

    /// <summary>Runs the <c>import</c> verb against <paramref name="database"/> of the fixture's server, as agepar_admin.</summary>
    public static async Task<(int ExitCode, string Output)> ImportIntoAsync(AgeparAppFixture fixture, string database, params string[] args)
    {
        var dll = Path.Combine(RepoPaths.Root, "Agepar.MigrationService", "bin", ProcessRunner.BuildConfiguration, "net10.0", "Agepar.MigrationService.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var admin = await fixture.GetConnectionStringAsync(DbRole.Admin, database);
        var folder = Directory.CreateTempSubdirectory("agepar-import-").FullName;
        return await ProcessRunner.RunAsync("dotnet", [dll, "import", .. args], folder, environment =>
        {
            environment["DOTNET_ENVIRONMENT"] = "Development";
            environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
            environment["ConnectionStrings__agepar-admin"] = admin;
            TestDataKeys.AddTo(environment);
        });
    }

    /// <summary>The last migration before <c>AuditImports</c>: the chain exists, the record of imports does not.</summary>
    public const string BeforeAuditImports = "20261206183000_OwnerRole";

    /// <summary>The last migration before <c>AuditChain</c>: the switch-over day imports audits at this point (docs/import.md).</summary>
    public const string BeforeAuditChain = "20261129215853_MaintenanceFunctions";

    /// <summary>
    /// A new database, provisioned and migrated by the migration service's normal run (no verb), so it is owned by
    /// agepar_owner like the live one: to the latest migration, or only up to <paramref name="approvedTarget"/> (change management).
    /// </summary>
    public static async Task<string> CreateMigratedTargetAsync(AgeparAppFixture fixture, string? approvedTarget = null)
    {
        var name = "agepar_imp_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = await TestSql.OpenAsync(fixture))
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        await MigrateAsync(fixture, name, approvedTarget);
        return name;
    }

    /// <summary>Runs the migration service (no verb, with provisioning) on <paramref name="database"/>.</summary>
    public static async Task MigrateAsync(AgeparAppFixture fixture, string database, string? approvedTarget = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__agepar-admin"] = await fixture.GetConnectionStringAsync(DbRole.Admin, database),
            ["ConnectionStrings__agepar-provisioning"] = await fixture.GetConnectionStringAsync(DbRole.Superuser, database),
            ["Provisioning__AdminPassword"] = fixture.Parameters["agepar-admin-password"],
            ["Provisioning__AppUserPassword"] = fixture.Parameters["agepar-user-password"],
            ["Provisioning__MonitorPassword"] = fixture.Parameters["agepar-monitor-password"],
            ["Provisioning__BackupPassword"] = fixture.Parameters["agepar-backup-password"],
        };
        if (approvedTarget is not null)
        {
            settings["Migrations__RequireApproval"] = "true";
            settings["Migrations__ApprovedTarget"] = approvedTarget;
        }

        var (exitCode, output) = await MigrationServiceRunner.RunAsync(settings);
        Assert.True(exitCode == 0, output);
    }

    /// <summary>A scalar from <paramref name="database"/>, as its owner (agepar_admin with SET ROLE agepar_owner).</summary>
    public static async Task<T> ScalarInAsync<T>(AgeparAppFixture fixture, string database, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(DbRole.Owner, database));
        await connection.OpenAsync();
        await using var command = TestSql.Command(connection, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The report line of <paramref name="table"/>: found, imported, present, rejected, warnings, in target, unaccounted.</summary>
    public static long[] ReportRow(string output, string table)
    {
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l =>
            l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 8 } p && p[0] == table && p[1..].All(v => long.TryParse(v, out _)));
        Assert.True(line is not null, $"no report line for {table} in:\n{output}");
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(long.Parse).ToArray();
    }
}
