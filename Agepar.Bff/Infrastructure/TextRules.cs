namespace Agepar.Bff.Infrastructure;

/// <summary>What a text field may contain.</summary>
internal static class TextRules
{
    /// <summary>
    /// Null when <paramref name="value"/> is acceptable; otherwise why not. Rejects NUL and every other C0/C1 control
    /// character (tab, CR and LF only in multi-line fields), unpaired surrogates and the Unicode line/paragraph
    /// separators in single-line fields. PostgreSQL's jsonb rejects <c>\u0000</c>, so this also keeps a hostile body
    /// from ever reaching the database as a 500.
    /// </summary>
    public static string? Check(string value, bool multiline)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "Contém uma sequência Unicode inválida.";
            }

            if (multiline && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (char.IsControl(c) || (!multiline && c is '\u2028' or '\u2029'))
            {
                return multiline
                    ? "Contém caracteres de controle (só tabulação e quebras de linha são permitidas)."
                    : "Contém caracteres de controle ou quebras de linha.";
            }
        }

        return null;
    }
}
