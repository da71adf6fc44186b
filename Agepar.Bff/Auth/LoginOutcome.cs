using Agepar.Data.Auth;

namespace Agepar.Bff.Auth;

/// <summary>Result of a sign-in attempt: a new session, or why not.</summary>
public sealed record LoginOutcome(string Reason, User? User = null, IssuedSession? Session = null, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Session is not null;
}
