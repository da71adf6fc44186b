using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Agepar.Bff.Users;

/// <summary>Keyset position (created_at, id) of the last user of a page, as an opaque string.</summary>
internal readonly record struct UserCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public override string ToString() =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryParse(string? value, out UserCursor cursor)
    {
        cursor = default;
        try
        {
            var parts = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(value ?? "")).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && Guid.TryParseExact(parts[1], "N", out var id))
            {
                cursor = new UserCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
