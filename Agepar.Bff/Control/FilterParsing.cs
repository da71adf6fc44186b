using System.Globalization;
using Agepar.Bff.Automations.Validation;

namespace Agepar.Bff.Control;

/// <summary>Parses and checks query-string filters, naming each bad one (never a 500 for a hostile query string).</summary>
internal static class FilterParsing
{
    /// <summary>Trimmed text or null; rejects control characters and over-long values.</summary>
    public static string? Text(string name, string? value, int maxLength, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (TextRules.Check(value, multiline: false) is { } problem)
        {
            errors.Add(name, problem);
            return null;
        }

        value = value.Trim();
        if (value.Length > maxLength)
        {
            errors.Add(name, $"At most {maxLength} characters.");
            return null;
        }

        return value;
    }

    /// <summary>One of <paramref name="allowed"/>, or null.</summary>
    public static string? OneOf(string name, string? value, IReadOnlyList<string> allowed, ValidationErrors errors)
    {
        var text = Text(name, value, 100, errors);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(name, $"Must be one of: {string.Join(", ", allowed)}.");
            return null;
        }

        return text;
    }

    /// <summary>
    /// An ISO 8601 instant (<c>2026-03-01T12:00:00Z</c>; no offset means UTC) or a date (<c>2026-03-01</c>, midnight UTC).
    /// For an upper bound a date means the end of that day, so <c>until=2026-03-31</c> includes the 31st.
    /// </summary>
    public static DateTimeOffset? Instant(string name, string? value, bool upperBound, ValidationErrors errors)
    {
        var text = Text(name, value, 40, errors);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return upperBound ? midnight.AddDays(1) : midnight;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            && text.Contains('T', StringComparison.Ordinal))
        {
            return instant.ToUniversalTime();
        }

        errors.Add(name, "Must be an ISO 8601 date (2026-03-01) or date-time (2026-03-01T12:00:00Z).");
        return null;
    }

    public static int Limit(string? value, int defaultValue, int max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            errors.Add("limit", $"Must be a whole number between 1 and {max}.");
            return defaultValue;
        }

        return limit;
    }
}
