namespace Agepar.Bff.Users;

/// <summary>One page of users, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page.</summary>
public sealed record UserPage(IReadOnlyList<AdminUserView> Items, string? NextCursor);
