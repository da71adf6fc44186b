using System.Globalization;
using System.Text.RegularExpressions;

namespace Agepar.Bff.Automations.Validation;

/// <summary>
/// Brazilian number and date formats, without depending on ICU culture data (the services run with invariant
/// globalization): <c>1.234,56</c>, <c>R$ 1.234,56</c>, <c>dd/MM/yyyy</c>.
/// </summary>
internal static partial class BrazilianFormats
{
    /// <summary>
    /// Parses "1.234,56", "1234,56", "1234", "R$ 1.234,56" (dots only as thousands separators, in groups of three;
    /// the comma is the decimal mark). "1234.56" is rejected: it is not Brazilian and would be ambiguous.
    /// </summary>
    public static bool TryParseDecimal(string text, out decimal value)
    {
        value = 0;
        var match = NumberPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var integer = match.Groups["int"].Value.Replace(".", "", StringComparison.Ordinal);
        var fraction = match.Groups["frac"].Success ? match.Groups["frac"].Value : "";
        var invariant = (match.Groups["sign"].Value == "-" ? "-" : "") + integer + (fraction.Length > 0 ? "." + fraction : "");
        return decimal.TryParse(invariant, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses <c>dd/MM/yyyy</c> (Brazilian) or <c>yyyy-MM-dd</c> (ISO 8601).</summary>
    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), ["dd/MM/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>1234.5 → "1.234,50".</summary>
    public static string FormatDecimal(decimal value, int decimals = 2)
    {
        var format = decimals == 0 ? "#,##0" : "#,##0." + new string('0', decimals);
        var invariant = value.ToString(format, CultureInfo.InvariantCulture);
        return string.Create(invariant.Length, invariant, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] switch { ',' => '.', '.' => ',', var c => c };
            }
        });
    }

    /// <summary>1234.5 → "R$ 1.234,50".</summary>
    public static string FormatMoney(decimal value) => "R$ " + FormatDecimal(value);

    /// <summary>2026-03-01 → "01/03/2026".</summary>
    public static string FormatDate(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:R\$\s?)?(?<sign>-)?(?<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?<frac>\d+))?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex NumberPattern();
}
