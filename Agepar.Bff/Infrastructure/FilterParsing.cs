using System.Globalization;

namespace Agepar.Bff.Infrastructure;

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
            errors.Add(name, $"No máximo {maxLength} caracteres.");
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
            errors.Add(name, $"Deve ser um de: {string.Join(", ", allowed)}.");
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
            if (!upperBound)
            {
                return midnight;
            }

            // The end of 9999-12-31 is one tick past DateTimeOffset.MaxValue (AddDays would throw): that bound means
            // "no upper bound", and MaxValue (PostgreSQL 'infinity') says exactly that.
            return date == DateOnly.MaxValue ? DateTimeOffset.MaxValue : midnight.AddDays(1);
        }

        // TryParse never throws: an offset that moves the instant outside 0001-01-01..9999-12-31 UTC fails the parse.
        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        errors.Add(name, "Deve ser uma data ISO 8601 (2026-03-01) ou data e hora (2026-03-01T12:00:00Z) entre 0001-01-01 e 9999-12-31 UTC.");
        return null;
    }

    /// <summary>
    /// A page size in 1..<paramref name="max"/>: digits only (no sign, blanks or exponent), so <c>-1</c>,
    /// <c>2147483648</c> or <c>99999999999999999999</c> are a 400 naming <c>limit</c>, never an overflow.
    /// </summary>
    public static int Limit(string? value, int defaultValue, int max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            errors.Add("limit", $"Deve ser um número inteiro entre 1 e {max}.");
            return defaultValue;
        }

        return limit;
    }
}
