using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agepar.Bff.Infrastructure;

namespace Agepar.Bff.Automations.Validation;

/// <summary>
/// Reads the fields of one JSON object, collecting every problem into <see cref="ValidationErrors"/> instead of
/// throwing: wrong types, missing or empty required fields, lengths, ranges, control characters, duplicate and
/// unknown properties. Each getter returns null when the field is absent or invalid. Empty strings count as absent.
/// </summary>
internal sealed partial class JsonObjectReader
{
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private readonly ValidationErrors _errors;

    private JsonObjectReader(JsonElement obj, string prefix, ValidationErrors errors)
    {
        _prefix = prefix;
        _errors = errors;
        foreach (var property in obj.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                errors.Add(prefix.Length == 0 ? "$" : prefix, "Um nome de propriedade contém uma sequência Unicode inválida.");
                continue;
            }

            if (!_properties.TryAdd(name, property.Value))
            {
                errors.Add(PathOf(name), "Propriedade repetida.");
            }
        }
    }

    /// <summary>The reader of the body, or null (with an error on <c>$</c>) when the body is not a JSON object.</summary>
    public static JsonObjectReader? ForRoot(JsonElement root, ValidationErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "O corpo deve ser um objeto JSON.");
            return null;
        }

        return new JsonObjectReader(root, "", errors);
    }

    public string? String(string name, bool required, int maxLength, bool multiline = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (!TryGetText(name, value, multiline, out var text))
        {
            return null;
        }

        if (text.Length == 0)
        {
            if (required)
            {
                Add(name, "Obrigatório.");
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            Add(name, $"No máximo {maxLength} caracteres.");
            return null;
        }

        return text;
    }

    /// <summary>A lower-cased e-mail address.</summary>
    public string? Email(string name, bool required)
    {
        var text = String(name, required, 254);
        if (text is not null && !EmailPattern().IsMatch(text))
        {
            Add(name, "Deve ser um endereço de e-mail.");
            return null;
        }

        return text?.ToLowerInvariant();
    }

    /// <summary>One of <paramref name="allowed"/> (compared without case; the canonical spelling is returned).</summary>
    public string? OneOf(string name, bool required, IReadOnlyList<string> allowed)
    {
        var text = String(name, required, 100);
        if (text is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Add(name, $"Deve ser um de: {string.Join(", ", allowed)}.");
        }

        return match;
    }

    /// <summary>A date as <c>dd/MM/yyyy</c> or <c>yyyy-MM-dd</c>.</summary>
    public DateOnly? Date(string name, bool required)
    {
        var text = String(name, required, 10);
        if (text is null)
        {
            return null;
        }

        if (!BrazilianFormats.TryParseDate(text, out var date))
        {
            Add(name, "Deve ser uma data dd/MM/aaaa ou aaaa-MM-dd.");
            return null;
        }

        return date;
    }

    /// <summary>A JSON boolean (strings such as "true" are rejected).</summary>
    public bool? Boolean(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Add(name, "Deve ser true ou false.");
        return null;
    }

    /// <summary>A whole number, as a JSON number or a string of digits.</summary>
    public int? Integer(string name, bool required, int min, int max)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        int? parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) => n,
            JsonValueKind.String when TryGetText(name, value, false, out var text)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
        if (parsed is not { } number)
        {
            Add(name, "Deve ser um número inteiro.");
            return null;
        }

        if (number < min || number > max)
        {
            Add(name, $"Deve estar entre {min} e {max}.");
            return null;
        }

        return number;
    }

    /// <summary>A decimal, as a JSON number or a Brazilian-format string ("1.234,56", "R$ 10,00").</summary>
    public decimal? Decimal(string name, bool required, decimal min, decimal max, int maxDecimals)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        decimal? parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var n) => n,
            JsonValueKind.String when TryGetText(name, value, false, out var text)
                && text.Length <= 40 && BrazilianFormats.TryParseDecimal(text, out var n) => n,
            _ => null,
        };
        if (parsed is not { } number)
        {
            Add(name, "Deve ser um número (número JSON ou formato brasileiro, como \"1.234,56\").");
            return null;
        }

        if (number < min || number > max)
        {
            Add(name, $"Deve estar entre {BrazilianFormats.FormatDecimal(min, 0)} e {BrazilianFormats.FormatDecimal(max, 0)}.");
            return null;
        }

        if (number != Math.Round(number, maxDecimals))
        {
            Add(name, $"No máximo {maxDecimals} casas decimais.");
            return null;
        }

        // Drop trailing zeros ("2,50" and 2.5 normalize alike, so they hash alike for idempotency).
        return number / 1.000000000000000000000000000000000m;
    }

    /// <summary>An array of objects, each with its own reader (paths <c>name[i].field</c>).</summary>
    public IReadOnlyList<JsonObjectReader> Objects(string name, int minItems, int maxItems)
    {
        if (!TryGet(name, minItems > 0, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(name, "Deve ser uma lista.");
            return [];
        }

        var count = value.GetArrayLength();
        if (count < minItems || count > maxItems)
        {
            Add(name, minItems > 0 ? $"Deve ter entre {minItems} e {maxItems} itens." : $"No máximo {maxItems} itens.");
            return [];
        }

        var readers = new List<JsonObjectReader>(count);
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"{PathOf(name)}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                _errors.Add(path, "Deve ser um objeto.");
                continue;
            }

            readers.Add(new JsonObjectReader(item, path, _errors));
        }

        return readers;
    }

    /// <summary>Reports every property that no getter asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _properties.Keys.Where(n => !_read.Contains(n)))
        {
            var shown = TextRules.Check(name, multiline: false) is null && name.Length <= 100 ? name : "(invalid property name)";
            _errors.Add(PathOf(shown), "Campo desconhecido.");
        }
    }

    /// <summary>Adds an error on a field of this object (business rules the getters cannot express).</summary>
    public void Add(string name, string message) => _errors.Add(PathOf(name), message);

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        _read.Add(name);
        if (_properties.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Add(name, "Obrigatório.");
        }

        return false;
    }

    private bool TryGetText(string name, JsonElement value, bool multiline, out string text)
    {
        text = "";
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(name, "Deve ser um texto (string JSON).");
            return false;
        }

        try
        {
            text = value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            Add(name, "Contém uma sequência Unicode inválida.");
            return false;
        }

        if (TextRules.Check(text, multiline) is { } problem)
        {
            Add(name, problem);
            return false;
        }

        text = text.Trim();
        return true;
    }

    private string PathOf(string name) => _prefix.Length == 0 ? name : $"{_prefix}.{name}";

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex EmailPattern();
}
