using Agepar.Data;
using Npgsql;

namespace Agepar.MigrationService;

/// <summary>
/// Step 1, with a privileged connection: creates or updates <c>agepar_owner</c> (NOLOGIN: owns the database, schema
/// <c>public</c> and every object in it, the SECURITY DEFINER functions included), <c>agepar_admin</c> (LOGIN
/// NOINHERIT member of <c>agepar_owner</c>: holds no right on the schema until it runs <c>SET ROLE agepar_owner</c>,
/// which the migration service does; see <see cref="OwnerRoleSession"/>), <c>agepar_user</c> (CONNECT, USAGE, DML
/// through the owner's default privileges), <c>agepar_backup</c> (CONNECT, member of <c>pg_read_all_data</c>: the backup
/// job reads and can change nothing), <c>agepar_monitor</c> (CONNECT, member of <c>pg_monitor</c>: statistics for
/// postgres_exporter, no table data) and, when a streaming replica is wanted, <c>agepar_replicator</c> (LOGIN
/// REPLICATION); hands everything <c>agepar_admin</c> owned in this database to <c>agepar_owner</c> (a database
/// provisioned before the owner role existed); revokes what PUBLIC had, and creates pg_stat_statements (it needs a
/// superuser). Idempotent: a second run changes nothing.
/// </summary>
internal sealed partial class RoleProvisioner(ILogger<RoleProvisioner> logger)
{
    private const string Admin = DatabaseObjects.AdminRole;
    private const string Owner = DatabaseObjects.OwnerRole;
    private const string App = DatabaseObjects.AppRole;
    private const string Backup = DatabaseObjects.BackupRole;
    private const string Monitor = DatabaseObjects.MonitorRole;
    private const string Replicator = DatabaseObjects.ReplicationRole;

    public async Task ProvisionAsync(string connectionString, ProvisioningOptions options, CancellationToken ct)
    {
        var adminPassword = Require(options.AdminPassword, nameof(options.AdminPassword));
        var appPassword = Require(options.AppUserPassword, nameof(options.AppUserPassword));
        var backupPassword = Require(options.BackupPassword, nameof(options.BackupPassword));
        var monitorPassword = Require(options.MonitorPassword, nameof(options.MonitorPassword));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        await EnsureOwnerRoleAsync(connection, ct);
        // NOINHERIT: membership of agepar_owner lets agepar_admin SET ROLE to it, but confers none of its rights
        // implicitly, so a session of agepar_admin that did not ask to act as the owner can change nothing.
        await EnsureRoleAsync(connection, Admin, adminPassword, ct, inherit: false);
        await EnsureRoleAsync(connection, App, appPassword, ct);
        await EnsureRoleAsync(connection, Backup, backupPassword, ct);
        await EnsureRoleAsync(connection, Monitor, monitorPassword, ct);
        if (!string.IsNullOrEmpty(options.ReplicationPassword))
        {
            // Only where a streaming replica is wanted: REPLICATION lets the role copy the whole cluster (pg_basebackup).
            await EnsureRoleAsync(connection, Replicator, options.ReplicationPassword, ct, replication: true);
        }

        // Identifiers come from constants and current_database(); format(%I) quotes them.
        await ExecuteAsync(connection, $"""
            DO $do$
            DECLARE
                db     text := current_database();
                others text[];
                d      text;
            BEGIN
                IF NOT pg_catalog.pg_has_role('{Admin}', '{Owner}', 'MEMBER') THEN
                    GRANT {Owner} TO {Admin};
                END IF;
                -- Whatever agepar_admin still owns here (a database provisioned before agepar_owner existed) goes to the
                -- owner role: tables, partitions, sequences, functions, extensions. REASSIGN OWNED also moves shared
                -- objects, i.e. other databases agepar_admin owns (a developer's scratch databases): those go back.
                others := ARRAY(SELECT datname FROM pg_catalog.pg_database WHERE datdba = '{Admin}'::regrole AND datname <> db);
                REASSIGN OWNED BY {Admin} TO {Owner};
                FOREACH d IN ARRAY others LOOP
                    EXECUTE format('ALTER DATABASE %I OWNER TO {Admin}', d);
                END LOOP;
                EXECUTE format('ALTER DATABASE %I OWNER TO {Owner}', db);
                EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db);
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO {Admin}', db);
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO {App}', db);
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO {Backup}', db);
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO {Monitor}', db);
            END
            $do$;
            ALTER SCHEMA public OWNER TO {Owner};
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {App};
            -- The backup job reads everything and can change nothing: pg_read_all_data (PostgreSQL 14+) is SELECT on
            -- every table and USAGE on every schema, present and future; it confers no write and no DDL.
            GRANT pg_read_all_data TO {Backup};
            -- postgres_exporter's login: pg_monitor reads statistics and settings (pg_stat_*, pg_settings), never table data.
            GRANT pg_monitor TO {Monitor};
            -- Objects the owner creates later (migrations, partitions made by maintain_audit_partitions) start with DML for
            -- the app; audit tables and partitions narrow it to SELECT/INSERT themselves. Functions: no EXECUTE for PUBLIC,
            -- set globally because a per-schema default can only add privileges, never take a global one away.
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {App};
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {App};
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
            CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
            -- Bound parameter values never reach the server log for the roles that read and write personal data
            -- (e-mails, password hashes, CPF ciphertexts and blind indexes; the keys themselves never leave the
            -- application): superuser-only settings, hence set here (docs/schema.md, "Encrypted CPFs").
            ALTER ROLE {Admin} SET log_parameter_max_length = 0;
            ALTER ROLE {Admin} SET log_parameter_max_length_on_error = 0;
            ALTER ROLE {App} SET log_parameter_max_length = 0;
            ALTER ROLE {App} SET log_parameter_max_length_on_error = 0;
            """, ct);

        await tx.CommitAsync(ct);
        LogProvisioned(Owner, Admin, App, Backup, connection.Database);
    }

    /// <summary>The NOLOGIN owner: no password, no attribute beyond owning things (re-asserted every run).</summary>
    private async Task EnsureOwnerRoleAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand("SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = $1", connection)
        {
            Parameters = { new() { Value = Owner } },
        };
        var exists = (long)(await read.ExecuteScalarAsync(ct))! > 0;
        if (!exists)
        {
            await ExecuteAsync(connection, $"CREATE ROLE {Owner} NOLOGIN", ct);
        }

        await ExecuteAsync(connection, $"ALTER ROLE {Owner} WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD NULL", ct);
        LogRole(Owner, exists ? "already existed" : "created", false);
    }

    private async Task EnsureRoleAsync(NpgsqlConnection connection, string role, string password, CancellationToken ct, bool replication = false, bool inherit = true)
    {
        await using var read = new NpgsqlCommand("SELECT rolpassword FROM pg_authid WHERE rolname = $1", connection)
        {
            Parameters = { new() { Value = role } },
        };
        var existing = await read.ExecuteScalarAsync(ct);
        var exists = existing is not null;
        if (!exists)
        {
            await ExecuteAsync(connection, $"CREATE ROLE {role}", ct);
        }

        // Attributes are re-asserted every run (someone may have widened them by hand).
        await ExecuteAsync(connection, $"ALTER ROLE {role} WITH LOGIN {(inherit ? "INHERIT" : "NOINHERIT")} NOSUPERUSER NOCREATEDB NOCREATEROLE {(replication ? "REPLICATION" : "NOREPLICATION")} NOBYPASSRLS", ct);

        var passwordChanged = !ScramVerifier.Matches(existing as string, password);
        if (passwordChanged)
        {
            // Only the SCRAM verifier travels: no clear password in server logs or pg_stat_statements.
            await using var format = new NpgsqlCommand("SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", connection)
            {
                Parameters = { new() { Value = role }, new() { Value = ScramVerifier.Create(password) } },
            };
            await ExecuteAsync(connection, (string)(await format.ExecuteScalarAsync(ct))!, ct);
        }

        LogRole(role, exists ? "already existed" : "created", passwordChanged);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Require(string? value, string name) =>
        string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"{ProvisioningOptions.SectionName}:{name} is required when a provisioning connection is configured.")
            : value;

    [LoggerMessage(LogLevel.Information, "Role {Role} {Outcome}; password changed: {PasswordChanged}")]
    private partial void LogRole(string role, string outcome, bool passwordChanged);

    [LoggerMessage(LogLevel.Information,
        "Provisioned {OwnerRole} (NOLOGIN owner), {AdminRole} (migrations, through SET ROLE), {AppRole} (DML only) and {BackupRole} (read only) on database {Database}")]
    private partial void LogProvisioned(string ownerRole, string adminRole, string appRole, string backupRole, string database);
}
