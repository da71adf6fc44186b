namespace Agepar.Bff.Users;

/// <summary>The created user and, when the server generated it, the temporary password (shown only this once).</summary>
public sealed record CreatedUserResponse(AdminUserView User, string? TemporaryPassword);
