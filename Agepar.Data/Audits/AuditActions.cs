namespace Agepar.Data.Audits;

/// <summary>
/// The closed vocabulary of <c>audits.action</c>. The database only checks the shape (<c>^[a-z_]+(\.[a-z_]+)+$</c>);
/// code writes these constants and nothing else.
/// </summary>
public static class AuditActions
{
    /// <summary>Successful sign-in.</summary>
    public const string AuthLogin = "auth.login";

    /// <summary>Refused sign-in (bad credentials, blocked, rate limited...).</summary>
    public const string AuthLoginFailed = "auth.login_failed";

    /// <summary>Sign-out.</summary>
    public const string AuthLogout = "auth.logout";

    /// <summary>The user changed their own password.</summary>
    public const string AuthPasswordChanged = "auth.password_changed";

    /// <summary>A session was revoked.</summary>
    public const string AuthSessionRevoked = "auth.session_revoked";

    /// <summary>An authenticated request was refused by authorization.</summary>
    public const string AuthAccessDenied = "auth.access_denied";

    /// <summary>An administrator created a user.</summary>
    public const string UserCreated = "user.created";

    /// <summary>An administrator changed a user's data.</summary>
    public const string UserUpdated = "user.updated";

    /// <summary>An administrator blocked a user.</summary>
    public const string UserBlocked = "user.blocked";

    /// <summary>An administrator unblocked a user.</summary>
    public const string UserUnblocked = "user.unblocked";

    /// <summary>An administrator changed a user's roles.</summary>
    public const string UserRolesChanged = "user.roles_changed";

    /// <summary>An administrator reset a user's password.</summary>
    public const string UserPasswordReset = "user.password_reset";

    /// <summary>A submission was accepted and queued.</summary>
    public const string SubmissionCreated = "submission.created";

    /// <summary>A worker started a submission.</summary>
    public const string SubmissionStarted = "submission.started";

    /// <summary>A submission finished successfully.</summary>
    public const string SubmissionCompleted = "submission.completed";

    /// <summary>A submission attempt failed.</summary>
    public const string SubmissionFailed = "submission.failed";

    /// <summary>A submission was cancelled.</summary>
    public const string SubmissionCancelled = "submission.cancelled";

    /// <summary>A submission's document was downloaded.</summary>
    public const string SubmissionDownloaded = "submission.downloaded";

    /// <summary>A failed submission was queued again.</summary>
    public const string SubmissionRetried = "submission.retried";

    /// <summary>Database migrations were applied.</summary>
    public const string SystemMigrated = "system.migrated";

    /// <summary>Monthly audit partitions were created.</summary>
    public const string SystemPartitionsCreated = "system.partitions_created";

    /// <summary>Someone verified the audit hash chain (outcome failure when it found a break).</summary>
    public const string AuditChainVerified = "audit.chain_verified";

    /// <summary>
    /// An event imported from the previous portal whose action has no equivalent here (fileshare, notices, tasks, role
    /// creation...); the original action is in <c>metadata.legacy_action</c> (docs/import.md).
    /// </summary>
    public const string LegacyEvent = "legacy.event";

    /// <summary>Every allowed value.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AuthLogin, AuthLoginFailed, AuthLogout, AuthPasswordChanged, AuthSessionRevoked, AuthAccessDenied,
        UserCreated, UserUpdated, UserBlocked, UserUnblocked, UserRolesChanged, UserPasswordReset,
        SubmissionCreated, SubmissionStarted, SubmissionCompleted, SubmissionFailed, SubmissionCancelled,
        SubmissionDownloaded, SubmissionRetried, SystemMigrated, SystemPartitionsCreated, AuditChainVerified, LegacyEvent,
    ];
}
