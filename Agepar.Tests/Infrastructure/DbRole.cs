namespace Agepar.Tests.Infrastructure;

/// <summary>The login roles a test can connect as.</summary>
public enum DbRole
{
    /// <summary>agepar_user: the BFF's DML-only role.</summary>
    App,

    /// <summary>agepar_admin: owner of the schema, runs migrations.</summary>
    Admin,

    /// <summary>agepar_monitor: postgres_exporter's login, member of pg_monitor.</summary>
    Monitor,

    /// <summary>The container superuser (provisioning only).</summary>
    Superuser,

    /// <summary>agepar_backup: the backup job's read-only role (pg_read_all_data).</summary>
    Backup,
}
