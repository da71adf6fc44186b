namespace Agepar.Data.Auth;

/// <summary>Values of <c>users.status</c> (enforced by a CHECK constraint).</summary>
public static class UserStatus
{
    /// <summary>The user may sign in.</summary>
    public const string Active = "active";

    /// <summary>Sign-in is refused.</summary>
    public const string Blocked = "blocked";

    /// <summary>The account awaits approval; sign-in is refused.</summary>
    public const string Pending = "pending";

    /// <summary>Every allowed value.</summary>
    public static IReadOnlyList<string> All { get; } = [Active, Blocked, Pending];
}
