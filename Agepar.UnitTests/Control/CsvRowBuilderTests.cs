using Agepar.Bff.Control;

namespace Agepar.Tests.Control;

/// <summary>RFC 4180 quoting (on , ; " CR LF TAB), both delimiters, and formula-injection neutralization of every field.</summary>
public sealed class CsvRowBuilderTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+55 41", "'+55 41")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    [InlineData("x;=2+5;@SUM(1)", "\"x;=2+5;@SUM(1)\"")]
    [InlineData("=2+5;@SUM(1)", "\"'=2+5;@SUM(1)\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("\r=x", "\"'\r=x\"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Fields_are_quoted_and_neutralized(string? value, string expected)
    {
        var row = new CsvRowBuilder();
        row.Add(value);
        Assert.Equal(expected, row.Buffer.ToString());
    }

    [Fact]
    public void The_semicolon_dialect_separates_with_semicolons_and_still_quotes_commas()
    {
        var row = new CsvRowBuilder(CsvDialect.Semicolon);
        row.AddRow(["a", "b,c", "d;e", "@x"]);
        row.AddRow(["1"]);

        Assert.Equal("a;\"b,c\";\"d;e\";'@x\r\n1\r\n", row.Buffer.ToString());
    }

    [Theory]
    [InlineData(null, "comma")]
    [InlineData("", "comma")]
    [InlineData("comma", "comma")]
    [InlineData("SEMICOLON", "semicolon")]
    [InlineData("semicolon", "semicolon")]
    [InlineData(";", null)]
    [InlineData("tab", null)]
    public void Delimiter_names_parse(string? value, string? expected) =>
        Assert.Equal(expected, CsvDialect.Parse(value)?.Name);
}
