using System.Text;

namespace Agepar.Bff.Automations;

/// <summary>Safe, readable download names ("Relatório de Março" → "relatorio-de-marco").</summary>
internal static class FileNames
{
    private const string Accented = "áàâãäéèêëíìîïóòôõöúùûüçñ";
    private const string Plain = "aaaaaeeeeiiiiooooouuuucn";

    public static string Slugify(string text, int maxLength = 60)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength));
        foreach (var raw in text.ToLowerInvariant())
        {
            var index = Accented.IndexOf(raw, StringComparison.Ordinal);
            var c = index >= 0 ? Plain[index] : raw;
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }

            if (builder.Length >= maxLength)
            {
                break;
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "documento" : slug;
    }
}
