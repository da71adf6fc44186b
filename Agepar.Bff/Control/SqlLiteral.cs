using System.Globalization;
using NpgsqlTypes;

namespace Agepar.Bff.Control;

/// <summary>
/// A parameter value written as a PostgreSQL literal, for the one statement that cannot take parameters: <c>COPY</c>
/// (the CSV exports). Strings become <c>'…'</c> with every quote doubled, exactly what libpq's
/// <c>PQescapeStringConn</c> does for <c>standard_conforming_strings = on</c> — the export sets that in its own
/// transaction, so a backslash is an ordinary character and nothing in a value can end the literal. A NUL (which
/// PostgreSQL text cannot hold, and which would cut the statement short) is refused. Every other type is formatted by
/// us from a typed value and cast explicitly.
/// </summary>
internal static class SqlLiteral
{
    public static string Of(object value, NpgsqlDbType? type = null) => value switch
    {
        string text => Text(text),
        Guid uuid => $"'{uuid:D}'::uuid",
        long number => $"'{number.ToString(CultureInfo.InvariantCulture)}'::bigint",
        DateTimeOffset at when type is null or NpgsqlDbType.TimestampTz => Timestamp(at.UtcDateTime),
        byte[] bytes => $"'\\x{Convert.ToHexStringLower(bytes)}'::bytea",
        _ => throw new NotSupportedException($"No SQL literal for a {value.GetType().Name} ({type})."),
    };

    /// <summary><c>'…'</c>, quotes doubled; valid only under <c>standard_conforming_strings = on</c>.</summary>
    public static string Text(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A SQL literal cannot hold a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static string Timestamp(DateTime utc) =>
        "'" + utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'::timestamptz";
}
