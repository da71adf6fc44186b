namespace Agepar.MigrationService;

/// <summary>Connection strings the migration service reads (<c>ConnectionStrings:*</c>).</summary>
internal static class ConnectionNames
{
    /// <summary>agepar_admin on the agepar database: runs migrations and partition maintenance.</summary>
    public const string Admin = "agepar-admin";

    /// <summary>Optional superuser/DBA account on the agepar database: creates and updates the roles.</summary>
    public const string Provisioning = "agepar-provisioning";
}
