namespace Agepar.Bff.Users;

/// <summary>A role that can be granted.</summary>
public sealed record RoleView(string Name, string? Description);
