namespace Agepar.Bff.Control;

/// <summary>
/// The field separator of a CSV export (<c>?delimiter=</c>). Both dialects are UTF-8 with a byte-order mark and CRLF
/// line ends; <see cref="Semicolon"/> is what spreadsheets with a decimal comma (pt-BR) split on when opening a file.
/// </summary>
internal sealed record CsvDialect(string Name, char Separator)
{
    public static readonly CsvDialect Comma = new("comma", ',');

    public static readonly CsvDialect Semicolon = new("semicolon", ';');

    public static readonly string[] Names = [Comma.Name, Semicolon.Name];

    /// <summary><c>comma</c> (the default, also when absent) or <c>semicolon</c>, case-insensitive; anything else is null.</summary>
    public static CsvDialect? Parse(string? value) =>
        string.IsNullOrEmpty(value) || value.Equals(Comma.Name, StringComparison.OrdinalIgnoreCase) ? Comma
        : value.Equals(Semicolon.Name, StringComparison.OrdinalIgnoreCase) ? Semicolon
        : null;
}
