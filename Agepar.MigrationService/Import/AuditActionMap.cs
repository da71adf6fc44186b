using Agepar.Data.Audits;

namespace Agepar.MigrationService.Import;

/// <summary>
/// Old audit actions (free strings, §1.1 and §1.3) → this platform's vocabulary and outcome. The original action is
/// always kept in <c>metadata.legacy_action</c>; actions with no equivalent become <see cref="AuditActions.LegacyEvent"/>.
/// docs/import.md has the table.
/// </summary>
internal static class AuditActionMap
{
    private static readonly Dictionary<string, (string Action, string Outcome)> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        ["submitted"] = (AuditActions.SubmissionCreated, AuditOutcome.Success),
        ["submission.created"] = (AuditActions.SubmissionCreated, AuditOutcome.Success),
        ["duplicate_rejected"] = (AuditActions.SubmissionCreated, AuditOutcome.Denied),
        ["running"] = (AuditActions.SubmissionStarted, AuditOutcome.Success),
        ["submission.running"] = (AuditActions.SubmissionStarted, AuditOutcome.Success),
        ["completed"] = (AuditActions.SubmissionCompleted, AuditOutcome.Success),
        ["submission.done"] = (AuditActions.SubmissionCompleted, AuditOutcome.Success),
        ["failed"] = (AuditActions.SubmissionFailed, AuditOutcome.Failure),
        ["submission.error"] = (AuditActions.SubmissionFailed, AuditOutcome.Failure),
        ["cancelled"] = (AuditActions.SubmissionCancelled, AuditOutcome.Success),
        ["download"] = (AuditActions.SubmissionDownloaded, AuditOutcome.Success),
        ["download_json"] = (AuditActions.SubmissionDownloaded, AuditOutcome.Success),
        ["document_pdf"] = (AuditActions.SubmissionDownloaded, AuditOutcome.Success),
        ["auth.login"] = (AuditActions.AuthLogin, AuditOutcome.Success),
        ["auth.logout"] = (AuditActions.AuthLogout, AuditOutcome.Success),
        ["auth.password_changed"] = (AuditActions.AuthPasswordChanged, AuditOutcome.Success),
        ["auth.session.revoke"] = (AuditActions.AuthSessionRevoked, AuditOutcome.Success),
        ["user.register"] = (AuditActions.UserCreated, AuditOutcome.Success),
        ["create_user"] = (AuditActions.UserCreated, AuditOutcome.Success),
        ["user.create"] = (AuditActions.UserCreated, AuditOutcome.Success),
        ["update_user"] = (AuditActions.UserUpdated, AuditOutcome.Success),
        ["user.update"] = (AuditActions.UserUpdated, AuditOutcome.Success),
        ["set_password"] = (AuditActions.UserPasswordReset, AuditOutcome.Success),
        ["set_roles"] = (AuditActions.UserRolesChanged, AuditOutcome.Success),
        ["download_denied"] = (AuditActions.LegacyEvent, AuditOutcome.Denied),
        ["share_link_denied"] = (AuditActions.LegacyEvent, AuditOutcome.Denied),
    };

    public static (string Action, string Outcome) Resolve(string action, string? kind)
    {
        var trimmed = action.Trim();
        // whoisonline writes "revoke {session_id}".
        if (trimmed.StartsWith("revoke ", StringComparison.OrdinalIgnoreCase))
        {
            return (AuditActions.AuthSessionRevoked, AuditOutcome.Success);
        }

        // fileshare's "downloaded" is a shared file, not a submission's document.
        if (string.Equals(kind, "fileshare", StringComparison.OrdinalIgnoreCase))
        {
            return Map.TryGetValue(trimmed, out var denied) && denied.Outcome == AuditOutcome.Denied
                ? denied
                : (AuditActions.LegacyEvent, AuditOutcome.Success);
        }

        return Map.TryGetValue(trimmed, out var mapped) ? mapped : (AuditActions.LegacyEvent, AuditOutcome.Success);
    }
}
