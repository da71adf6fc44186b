namespace Agepar.MigrationService.Import;

/// <summary>The old portal's database: its production PostgreSQL, or the SQLite file of its dev setup (≤ 2025-09).</summary>
internal interface IOldPortalSource : IAsyncDisposable
{
    /// <summary>
    /// Identifies the source in <c>audits.metadata.import_source</c>, the natural key of imported audits together with
    /// the original table and id (so a re-run recognises its rows). Default: <c>pg:&lt;database&gt;</c> or
    /// <c>sqlite:&lt;file name&gt;</c>; <c>--source-label</c> overrides it.
    /// </summary>
    string Label { get; }

    /// <summary>False for SQLite: it had no users, roles or audit_events.</summary>
    bool HasAuthTables { get; }

    /// <summary>The table behind <see cref="ReadAutomationAuditsAsync"/>: <c>automation_audits</c> or (SQLite) <c>audits</c>.</summary>
    string AutomationAuditsTable { get; }

    IAsyncEnumerable<OldUser> ReadUsersAsync(CancellationToken ct);

    IAsyncEnumerable<OldRole> ReadRolesAsync(CancellationToken ct);

    IAsyncEnumerable<OldUserRole> ReadUserRolesAsync(CancellationToken ct);

    /// <summary>Oldest first, so the first of two duplicates (protocolo) is the one kept.</summary>
    IAsyncEnumerable<OldSubmission> ReadSubmissionsAsync(CancellationToken ct);

    IAsyncEnumerable<OldAutomationAudit> ReadAutomationAuditsAsync(CancellationToken ct);

    IAsyncEnumerable<OldAuditEvent> ReadAuditEventsAsync(CancellationToken ct);
}
