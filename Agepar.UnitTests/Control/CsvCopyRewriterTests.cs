using System.Text;
using Agepar.Bff.Control;

namespace Agepar.Tests.Control;

/// <summary>
/// The rows PostgreSQL's <c>COPY … (FORMAT csv)</c> writes, rewritten into the export's CSV: byte for byte what
/// <see cref="CsvRowBuilder"/> makes of the same values, whatever the value, the separator or where a read cut the bytes.
/// </summary>
public sealed class CsvCopyRewriterTests
{
    private static readonly CsvCopySource Source = new(
        "SELECT", "t.at", "t.id", "bigint", [CsvCopyColumn.Text, CsvCopyColumn.Timestamp, CsvCopyColumn.Text], AtField: 1, IdField: 0);

    private static readonly CsvCopySource WithCpf = Source with
    {
        Columns = [CsvCopyColumn.Text, CsvCopyColumn.Timestamp, CsvCopyColumn.Text, CsvCopyColumn.Cpf],
    };

    public static TheoryData<string?, string> Values()
    {
        var data = new TheoryData<string?, string>();
        string?[] values =
        [
            null, "", "plain", "a,b", "a;b", "a\tb", "say \"hi\"", "\"", "\"\"", "line1\nline2", "cr\rlf", "=1+1", "+55 41", "-2",
            "@SUM(A1)", "\tx", "\r=x", "x;=2+5;@SUM(1)", "=2+5;@SUM(1)", "=HYPERLINK(\"http://x\",\"y\")", "{\"a\": \"x, \\\"y\\\"\\nz\"}",
            "ação, São José dos Pinhais", "emoji 🧾;", "'already quoted'", "\\.", "\\N", "back\\slash", new string('x', 70_000) + ",\"",
        ];
        foreach (var value in values)
        {
            data.Add(value, "comma");
            data.Add(value, "semicolon");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_comes_out_as_the_row_builder_writes_it(string? value, string dialectName)
    {
        var dialect = CsvDialect.Parse(dialectName)!;
        var input = Row(dialect, "42", "2026-03-01 12:30:00.000123+00", value);

        var expected = new CsvRowBuilder(dialect);
        expected.AddRow(["42", "2026-03-01T12:30:00.000123Z", value ?? ""]);

        Assert.Equal(expected.Buffer.ToString(), Rewrite(dialect, Source, input));
    }

    [Theory]
    [InlineData("2026-03-01 12:30:00+00", "2026-03-01T12:30:00.000000Z")]
    [InlineData("2026-03-01 12:30:00.1+00", "2026-03-01T12:30:00.100000Z")]
    [InlineData("2026-03-01 12:30:00.123456+00", "2026-03-01T12:30:00.123456Z")]
    [InlineData("0001-01-01 00:00:00+00", "0001-01-01T00:00:00.000000Z")]
    [InlineData("", "")]
    [InlineData("infinity", "infinity")]
    [InlineData("-infinity", "'-infinity")]
    [InlineData("0044-03-15 12:00:00+00 BC", "0044-03-15 12:00:00+00 BC")]
    [InlineData("10000-01-01 00:00:00+00", "10000-01-01 00:00:00+00")]
    public void Timestamps_become_iso_utc_with_microseconds_and_odd_ones_stay_inert_text(string written, string expected)
    {
        var input = Row(CsvDialect.Comma, "1", written == "" ? null : written, "x");
        Assert.Equal($"1,{expected},x\r\n", Rewrite(CsvDialect.Comma, Source, input));
    }

    [Fact]
    public void A_row_cut_anywhere_waits_for_its_end_and_leaves_the_output_untouched()
    {
        var input = Row(CsvDialect.Comma, "7", "2026-03-01 12:30:00.5+00", "a \"quoted\", multi\r\nline value") +
                    Row(CsvDialect.Comma, "6", "2026-03-01 12:29:00+00", null);
        var bytes = Encoding.UTF8.GetBytes(input);
        var first = input.IndexOf('\n', input.IndexOf("line value", StringComparison.Ordinal)) + 1;
        var rewriter = new CsvCopyRewriter(CsvDialect.Comma, Source);

        for (var cut = 0; cut < first; cut++)
        {
            var output = new ByteBuffer(16);
            output.Append("prefix"u8);
            Assert.False(rewriter.TryRewrite(bytes.AsSpan(0, cut), output, out var consumed));
            Assert.Equal(0, consumed);
            Assert.Equal("prefix", Encoding.UTF8.GetString(output.Written.Span));
        }

        var all = new ByteBuffer(16);
        Assert.True(rewriter.TryRewrite(bytes, all, out var taken));
        Assert.Equal(Encoding.UTF8.GetByteCount(input[..first]), taken);
        Assert.Equal(("2026-03-01 12:30:00.5+00", "7"), (rewriter.LastAt, rewriter.LastId));
        Assert.True(rewriter.TryRewrite(bytes.AsSpan(taken), all, out var second));
        Assert.Equal(bytes.Length, taken + second);
        Assert.Equal(("2026-03-01 12:29:00+00", "6"), (rewriter.LastAt, rewriter.LastId));
        Assert.Equal(
            "7,2026-03-01T12:30:00.500000Z,\"a \"\"quoted\"\", multi\r\nline value\"\r\n6,2026-03-01T12:29:00.000000Z,\r\n",
            Encoding.UTF8.GetString(all.Written.Span));
    }

    [Theory]
    [InlineData("1,2026-03-01 12:30:00+00\n")] // a field short
    [InlineData("1,2026-03-01 12:30:00+00,x,y\n")] // a field too many
    [InlineData("1,2026-03-01 12:30:00+00,\"x\"y\n")] // text after a closing quote
    public void A_row_with_other_fields_than_the_columns_is_refused(string input) =>
        Assert.Throws<InvalidDataException>(() =>
            new CsvCopyRewriter(CsvDialect.Comma, Source).TryRewrite(Encoding.UTF8.GetBytes(input), new ByteBuffer(), out _));

    [Fact]
    public void The_cpf_columns_become_what_the_reader_may_see_and_none_stays_empty()
    {
        byte[] cipher = [0x01, 0xAB, 0xFF], hmac = [0x02, 0x00];
        var rewriter = new CsvCopyRewriter(CsvDialect.Comma, WithCpf, (c, h) =>
            c.SequenceEqual(cipher) && h.SequenceEqual(hmac) ? "-529.982.247-25" : "wrong");
        var output = new ByteBuffer();

        Assert.True(rewriter.TryRewrite("1,2026-03-01 12:30:00+00,x,\\x01abff,\\x0200\n"u8, output, out _));
        Assert.True(rewriter.TryRewrite("2,2026-03-01 12:30:00+00,x,,\n"u8, output, out _));

        Assert.Equal(
            "1,2026-03-01T12:30:00.000000Z,x,'-529.982.247-25\r\n2,2026-03-01T12:30:00.000000Z,x,\r\n",
            Encoding.UTF8.GetString(output.Written.Span));
    }

    [Fact]
    public void A_cpf_column_needs_the_function_that_shows_it() =>
        Assert.Throws<ArgumentException>(() => new CsvCopyRewriter(CsvDialect.Comma, WithCpf));

    /// <summary>A row as PostgreSQL's CSV COPY writes it: NULL empty, the empty string <c>""</c>, quoted on the delimiter, quote, CR, LF.</summary>
    private static string Row(CsvDialect dialect, params string?[] values) =>
        string.Join(dialect.Separator, values.Select(value => value switch
        {
            null => "",
            "" => "\"\"",
            _ when value.IndexOfAny([dialect.Separator, '"', '\r', '\n']) >= 0 => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
            _ => value,
        })) + "\n";

    private static string Rewrite(CsvDialect dialect, CsvCopySource source, string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var output = new ByteBuffer(16);
        Assert.True(new CsvCopyRewriter(dialect, source).TryRewrite(bytes, output, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        return Encoding.UTF8.GetString(output.Written.Span);
    }
}
