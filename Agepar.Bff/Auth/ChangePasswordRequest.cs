namespace Agepar.Bff.Auth;

/// <summary>Own password change: the current password, the new one and its confirmation.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword, string? NewPasswordConfirm);
