namespace Agepar.Bff.Users;

/// <summary>After a reset: the generated temporary password (null when the administrator chose it).</summary>
public sealed record ResetPasswordResponse(string? TemporaryPassword, int SessionsRevoked);
