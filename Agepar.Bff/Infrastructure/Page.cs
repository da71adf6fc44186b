using System.Text.Json.Serialization;

namespace Agepar.Bff.Infrastructure;

/// <summary>
/// The one page shape of every listing, newest first: pass <see cref="NextCursor"/> as <c>cursor</c> for the next page
/// (null: last page). The control panel's listings also carry <see cref="Total"/>, every row matching the filters
/// (exact up to <c>ControlPanel:MaxExactCount</c>, above it the planner's estimate with <see cref="TotalIsEstimate"/>);
/// the other listings leave both out.
/// </summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    string? NextCursor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Total = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? TotalIsEstimate = null);

/// <summary>Where a keyset page starts: after the row at (<see cref="At"/>, <see cref="Id"/>).</summary>
public readonly record struct KeysetPosition<TKey>(DateTimeOffset At, TKey Id)
    where TKey : struct;

/// <summary>The checked <c>limit</c> and <c>cursor</c> of a listing request.</summary>
internal readonly record struct PageRequest<TKey>(int Limit, KeysetPosition<TKey>? After)
    where TKey : struct
{
    /// <summary>
    /// Cuts <paramref name="rows"/> (read with <c>LIMIT Limit + 1</c>) to the page and, when there was one more row,
    /// makes the cursor of the next page from the last row kept.
    /// </summary>
    public Page<T> ToPage<T>(List<T> rows, Func<T, KeysetPosition<TKey>> keyOf, long? total = null, bool? totalIsEstimate = null)
    {
        string? next = null;
        if (rows.Count > Limit)
        {
            rows.RemoveRange(Limit, rows.Count - Limit);
            next = KeysetCursor.Encode(keyOf(rows[^1]));
        }

        return new Page<T>(rows, next, total, totalIsEstimate);
    }
}

/// <summary>Parses <c>limit</c> and <c>cursor</c> the same way for every listing (one message for a bad cursor).</summary>
internal static class PageRequest
{
    public const string InvalidCursor = "Cursor inválido: use o nextCursor da página anterior, sem alterá-lo.";

    public static PageRequest<TKey> Parse<TKey>(string? cursor, string? limit, int defaultLimit, int maxLimit, ValidationErrors errors)
        where TKey : struct
    {
        var size = FilterParsing.Limit(limit, defaultLimit, maxLimit, errors);
        if (cursor is null)
        {
            return new PageRequest<TKey>(size, null);
        }

        if (!KeysetCursor.TryDecode(cursor, out KeysetPosition<TKey> after))
        {
            errors.Add("cursor", InvalidCursor);
            return new PageRequest<TKey>(size, null);
        }

        return new PageRequest<TKey>(size, after);
    }
}
