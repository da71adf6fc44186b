namespace Agepar.MigrationService.Import;

// Rows as the old portal stores them (reference: shared/reference/original-portal.md §1.1, §1.3, §1.7). Values are
// kept raw: every check and mapping happens in the importers, so a dirty value becomes a reported rejection.

/// <summary>A row of the old <c>users</c> table.</summary>
internal sealed record OldUser(
    Guid Id, string? Cpf, string? Email, string? Name, string? PasswordHash, string? Status, bool IsSuperuser,
    bool MustChangePassword, DateTimeOffset? LastLoginAt, DateTimeOffset? CreatedAt);

/// <summary>A row of the old <c>roles</c> table.</summary>
internal sealed record OldRole(Guid Id, string? Name, string? Description, DateTimeOffset? CreatedAt);

/// <summary>A row of the old <c>user_roles</c> table.</summary>
internal sealed record OldUserRole(Guid UserId, Guid RoleId, DateTimeOffset? GrantedAt);

/// <summary>A row of the old <c>submissions</c> table (PostgreSQL or SQLite: same columns, TEXT id, JSON as text).</summary>
internal sealed record OldSubmission(
    string? Id, string? Kind, string? Version, string? ActorCpf, string? ActorName, string? ActorEmail, string? Payload,
    string? Status, string? Result, string? Error, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>A row of <c>automation_audits</c> (PostgreSQL) or <c>audits</c> (SQLite): the per-automation event log.</summary>
internal sealed record OldAutomationAudit(
    long Id, DateTimeOffset? At, string? ActorCpf, string? ActorName, string? Kind, string? Action, string? Meta);

/// <summary>A row of <c>audit_events</c>: the auth/admin audit keyed by user id.</summary>
internal sealed record OldAuditEvent(
    long Id, DateTimeOffset? At, Guid? ActorUserId, string? Action, string? ObjectType, string? ObjectId, string? Message,
    string? Metadata, string? Ip, string? UserAgent);
