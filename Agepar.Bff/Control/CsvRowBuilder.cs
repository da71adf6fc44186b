using System.Globalization;
using System.Text;

namespace Agepar.Bff.Control;

/// <summary>
/// Builds one CSV record at a time (RFC 4180: comma separator, CRLF line ends, a field quoted when it holds a comma,
/// quote, CR or LF, quotes doubled). Formula-injection safe: a text field starting with <c>= + - @</c>, tab or CR is
/// prefixed with a single quote, so a spreadsheet shows it as text instead of evaluating it.
/// </summary>
internal sealed class CsvRowBuilder
{
    private bool _first = true;

    public StringBuilder Buffer { get; } = new(512);

    public void Clear()
    {
        Buffer.Clear();
        _first = true;
    }

    public void Add(string? value)
    {
        Separator();
        AppendField(Buffer, value);
    }

    public void Add(long value)
    {
        Separator();
        Buffer.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>ISO 8601 UTC with microseconds (<c>2026-03-01T12:00:00.123456Z</c>); empty when null.</summary>
    public void Add(DateTimeOffset? value)
    {
        Separator();
        if (value is { } v)
        {
            Buffer.Append(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        }
    }

    public void EndRow() => Buffer.Append("\r\n");

    public void AddRow(IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            Add(field);
        }

        EndRow();
    }

    /// <summary>Appends <paramref name="value"/> as one escaped, neutralized field.</summary>
    public static void AppendField(StringBuilder buffer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var neutralize = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        if (quote)
        {
            buffer.Append('"');
        }

        if (neutralize)
        {
            buffer.Append('\'');
        }

        foreach (var c in value)
        {
            buffer.Append(c);
            if (c == '"')
            {
                buffer.Append('"');
            }
        }

        if (quote)
        {
            buffer.Append('"');
        }
    }

    private void Separator()
    {
        if (!_first)
        {
            Buffer.Append(',');
        }

        _first = false;
    }
}
