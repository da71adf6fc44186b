namespace Agepar.Bff.Users;

/// <summary>
/// A new user. <paramref name="Roles"/> defaults to <c>["user"]</c>. Without <paramref name="Password"/> a temporary
/// password is generated and returned once. <paramref name="MustChangePassword"/> defaults to true.
/// </summary>
public sealed record CreateUserRequest(
    string? Name,
    string? Email,
    string? Cpf,
    IReadOnlyList<string>? Roles,
    string? Password,
    bool? MustChangePassword);
