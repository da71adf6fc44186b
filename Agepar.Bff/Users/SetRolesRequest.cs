namespace Agepar.Bff.Users;

/// <summary>The complete set of role names the user should hold.</summary>
public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);
