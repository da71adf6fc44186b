namespace Agepar.Tests.Infrastructure;

/// <summary>The login roles a test can connect as.</summary>
public enum DbRole
{
    /// <summary>agepar_user: the BFF's DML-only role.</summary>
    App,

    /// <summary>agepar_admin as it logs in: NOINHERIT member of agepar_owner, no right on the schema until SET ROLE.</summary>
    Admin,

    /// <summary>agepar_admin acting as the NOLOGIN schema owner agepar_owner (<c>-c role=agepar_owner</c> at connect), as the migration service does.</summary>
    Owner,

    /// <summary>agepar_monitor: postgres_exporter's login, member of pg_monitor.</summary>
    Monitor,

    /// <summary>The container superuser (provisioning only).</summary>
    Superuser,

    /// <summary>agepar_backup: the backup job's read-only role (pg_read_all_data).</summary>
    Backup,
}
