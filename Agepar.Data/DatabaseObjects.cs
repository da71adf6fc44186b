namespace Agepar.Data;

/// <summary>Names of database objects created by the migrations that code refers to by name.</summary>
public static class DatabaseObjects
{
    /// <summary>EF migrations history table.</summary>
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>Login role of the BFF: DML on the app tables, SELECT/INSERT only on audits. Created by provisioning, not by migrations.</summary>
    public const string AppRole = "agepar_user";

    /// <summary>Login role of the backup job: CONNECT and membership of <c>pg_read_all_data</c>, nothing else. Created by provisioning.</summary>
    public const string BackupRole = "agepar_backup";

    /// <summary>
    /// Login role of the one-shot migration service (and the importer). NOINHERIT member of <see cref="OwnerRole"/>: it
    /// holds no right on the schema until it runs <c>SET ROLE agepar_owner</c>, which the migration service does on
    /// every connection of a provisioned database. Created by provisioning, not by migrations.
    /// </summary>
    public const string AdminRole = "agepar_admin";

    /// <summary>
    /// NOLOGIN role that owns the database, schema <c>public</c> and every object in it (tables, partitions, sequences,
    /// functions, among them the SECURITY DEFINER ones). Nobody can sign in as it; <see cref="AdminRole"/> acts as it
    /// through <c>SET ROLE</c>. Created by provisioning.
    /// </summary>
    public const string OwnerRole = "agepar_owner";

    /// <summary>postgres_exporter's login role: CONNECT and membership of <c>pg_monitor</c> only.</summary>
    public const string MonitorRole = "agepar_monitor";

    /// <summary>Login role of the run-mode streaming replica: LOGIN REPLICATION, created only when that replica is wanted.</summary>
    public const string ReplicationRole = "agepar_replicator";

    /// <summary><c>ensure_audit_partitions(p_months_ahead int DEFAULT 3) RETURNS SETOF text</c>: creates the monthly audit partitions for the current month and the next months, returning the names created.</summary>
    public const string EnsureAuditPartitionsFunction = "ensure_audit_partitions";

    /// <summary><c>maintain_audit_partitions(p_months_ahead int) RETURNS SETOF text</c>: SECURITY DEFINER wrapper of <see cref="EnsureAuditPartitionsFunction"/> (0–12 months ahead) that the application role may execute.</summary>
    public const string MaintainAuditPartitionsFunction = "maintain_audit_partitions";

    /// <summary><c>drop_audit_partitions_older_than(p_cutoff date) RETURNS SETOF text</c>: detaches and drops monthly audit partitions that end on or before the cutoff (midnight UTC).</summary>
    public const string DropAuditPartitionsOlderThanFunction = "drop_audit_partitions_older_than";

    /// <summary>Audit id ranges the importer wrote after the chain started (migration <c>AuditImports</c>): the verifier reports their back-dated rows as imported, not as breaks.</summary>
    public const string AuditImportsTable = "audit_imports";

    /// <summary>Session setting that lets the table owner update or delete audit rows (<c>SET LOCAL agepar.audit_maintenance = 'on'</c>).</summary>
    public const string AuditMaintenanceSetting = "agepar.audit_maintenance";

    /// <summary>Audit partition that receives rows no monthly partition covers.</summary>
    public const string AuditsDefaultPartition = "audits_default";

    /// <summary>Unique index: one live DFD per <c>payload->>'protocolo'</c> (cancelled ones excepted).</summary>
    public const string SubmissionsDfdProtocoloIndex = "ux_submissions_dfd_protocolo";

    /// <summary>Unique index on (actor_user_id, kind, idempotency_key) where the key is set.</summary>
    public const string SubmissionsIdempotencyIndex = "ux_submissions_idempotency";

    /// <summary>Unique index on <c>users.email</c> (case-insensitive).</summary>
    public const string UsersEmailIndex = "ux_users_email";

    /// <summary>Unique index on <c>users.cpf_hmac</c> (the CPF's blind index).</summary>
    public const string UsersCpfIndex = "ux_users_cpf_hmac";

    /// <summary>Unique index on <c>roles.name</c>.</summary>
    public const string RolesNameIndex = "ux_roles_name";

    /// <summary>Unique index on <c>sessions.token_hash</c>.</summary>
    public const string SessionsTokenHashIndex = "ux_sessions_token_hash";
}
