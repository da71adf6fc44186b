namespace Agepar.Bff.Automations;

/// <summary>
/// A processing failure whose message is shown to the user (stored in <c>submissions.error</c>). Retried with
/// back-off unless <see cref="Permanent"/>, in which case the submission goes straight to <c>error</c>.
/// </summary>
internal sealed class AutomationException(string message, bool permanent = false, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool Permanent { get; } = permanent;
}
