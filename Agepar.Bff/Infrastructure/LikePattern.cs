namespace Agepar.Bff.Infrastructure;

/// <summary>The one LIKE/ILIKE escaping of the BFF (PostgreSQL's default escape character, backslash).</summary>
internal static class LikePattern
{
    /// <summary>The pattern "contains <paramref name="text"/>", with <c>% _ \</c> matched literally.</summary>
    public static string Contains(string text) =>
        "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
