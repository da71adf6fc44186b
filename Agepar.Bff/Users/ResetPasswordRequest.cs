namespace Agepar.Bff.Users;

/// <summary>Administrative password reset: the new password, or null to generate a temporary one.</summary>
public sealed record ResetPasswordRequest(string? Password);
