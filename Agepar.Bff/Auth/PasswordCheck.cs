namespace Agepar.Bff.Auth;

/// <summary>Outcome of verifying a password against a stored hash.</summary>
public enum PasswordCheck
{
    /// <summary>Wrong password, no stored hash, or a hash this service cannot read.</summary>
    Failed,

    /// <summary>The password matches.</summary>
    Success,

    /// <summary>The password matches but the stored hash is weaker than the configured parameters: store a new one.</summary>
    SuccessRehashNeeded,
}
