using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agepar.Bff.Infrastructure;

/// <summary>
/// Text PostgreSQL can store. <c>text</c> and <c>jsonb</c> reject NUL (<c>\u0000</c>), and an unpaired UTF-16 surrogate
/// cannot be encoded as UTF-8 at all: either one, echoed from a request path or header into an audit row, would turn
/// a refused request into a 500. Both become U+FFFD, so the row is still written and still says what was sent.
/// </summary>
internal static class StorableText
{
    public const char Replacement = '\uFFFD';

    /// <summary>Serializer options for audit metadata: every string value goes through <see cref="Clean"/>.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Converters = { new CleanStringConverter() } };

    /// <summary>Longest User-Agent kept in audits, sessions and login attempts.</summary>
    public const int MaxUserAgentLength = 512;

    /// <summary>The request's User-Agent as every table stores it: at most 512 characters, storable; null when absent.</summary>
    public static string? UserAgent(HttpContext? http) =>
        http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua
            ? Clean(ua.Length > MaxUserAgentLength ? ua[..MaxUserAgentLength] : ua)
            : null;

    public static string? Clean(string? value)
    {
        if (value is null || IsStorable(value))
        {
            return value;
        }

        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
            {
                chars[i] = Replacement;
            }
        }

        return new string(chars);
    }

    private static bool IsStorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (c == '\0' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class CleanStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(Clean(value));
    }
}
