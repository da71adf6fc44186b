using System.Buffers;
using System.Text;

namespace Agepar.Bff.Control;

/// <summary>
/// Builds one CSV record at a time (the header of an export, and the rules <see cref="CsvCopyRewriter"/> reproduces for its rows) (RFC 4180 with the dialect's separator, CRLF line ends, quotes doubled). A field is
/// quoted when it holds a comma, a semicolon, a quote, CR, LF or tab, whatever the separator, so a file read with the
/// other separator (a pt-BR spreadsheet splits on <c>;</c>) still keeps each field whole. Formula-injection safe: EVERY
/// field starting with <c>= + - @</c>, tab or CR (not only the user-typed ones: user agents, JSON, numbers too) is
/// prefixed with a single quote, so a spreadsheet shows it as text instead of evaluating it.
/// </summary>
internal sealed class CsvRowBuilder(CsvDialect dialect)
{
    private static readonly SearchValues<char> QuoteTriggers = SearchValues.Create(",;\"\r\n\t");

    private bool _first = true;

    public CsvRowBuilder()
        : this(CsvDialect.Comma)
    {
    }

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

    /// <summary>Ends the record (CRLF); the next field starts a new one in the same buffer.</summary>
    public void EndRow()
    {
        Buffer.Append("\r\n");
        _first = true;
    }

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
        var quote = value.AsSpan().ContainsAny(QuoteTriggers);
        if (quote)
        {
            buffer.Append('"');
        }

        if (neutralize)
        {
            buffer.Append('\'');
        }

        // Whole runs between quotes at once (most fields have none), each quote doubled.
        var rest = value.AsSpan();
        for (var at = rest.IndexOf('"'); at >= 0; at = rest.IndexOf('"'))
        {
            buffer.Append(rest[..(at + 1)]).Append('"');
            rest = rest[(at + 1)..];
        }

        buffer.Append(rest);

        if (quote)
        {
            buffer.Append('"');
        }
    }

    private void Separator()
    {
        if (!_first)
        {
            Buffer.Append(dialect.Separator);
        }

        _first = false;
    }
}
