namespace Agepar.MigrationService;

/// <summary>The process exit codes: the outcome the AppHost (and a deployment pipeline) reads.</summary>
public static class ExitCodes
{
    /// <summary>Database provisioned, migrated and partitioned (or, in Plan mode, the plan written).</summary>
    public const int Success = 0;

    /// <summary>Anything failed: connection, provisioning, a migration. The log says what.</summary>
    public const int Failed = 1;

    /// <summary>Change management: pending migrations exist but none was approved (<c>Migrations:ApprovedTarget</c>).</summary>
    public const int ApprovalRequired = 2;

    /// <summary>import: some source rows would be neither in the target nor rejected with a reason; the transaction was rolled back.</summary>
    public const int ImportNotVerified = 3;
}
