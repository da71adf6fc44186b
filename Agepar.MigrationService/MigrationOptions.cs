using System.ComponentModel.DataAnnotations;

namespace Agepar.MigrationService;

/// <summary>How the migration service treats pending migrations (configuration section <c>Migrations</c>).</summary>
public sealed class MigrationOptions
{
    public const string SectionName = "Migrations";

    /// <summary><see cref="MigrationMode.Apply"/> (default) or <see cref="MigrationMode.Plan"/>.</summary>
    public MigrationMode Mode { get; set; } = MigrationMode.Apply;

    /// <summary>
    /// Change management: when true, pending migrations are applied only if <see cref="ApprovedTarget"/> names one of
    /// them. Unset: true in Production, false elsewhere (homolog applies automatically).
    /// </summary>
    public bool? RequireApproval { get; set; }

    /// <summary>The migration id the change request approved (e.g. <c>20261129193000_InitialSchema</c>); the database is migrated up to it.</summary>
    public string? ApprovedTarget { get; set; }

    /// <summary>Plan mode: folder that receives <c>pending-migrations.txt</c> and <c>migrate.sql</c>.</summary>
    [Required]
    public string PlanOutputPath { get; set; } = "migration-plan";

    /// <summary>Monthly audit partitions kept ready beyond the current month.</summary>
    [Range(0, 36)]
    public int AuditPartitionsAhead { get; set; } = 3;
}

/// <summary>What the migration service does with pending migrations.</summary>
public enum MigrationMode
{
    /// <summary>Provision roles, apply pending migrations, ensure audit partitions.</summary>
    Apply,

    /// <summary>Write the pending list and the idempotent SQL script; change nothing.</summary>
    Plan,
}
