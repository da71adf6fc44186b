using Agepar.Bff.Control;

namespace Agepar.Bff.Users;

/// <summary>
/// Keyset position (created_at, id) of the last user of a page, as an opaque string: the same codec as every other
/// listing (<see cref="KeysetCursor"/>), whose decoder checks length, version and the timestamp's range, so no cursor —
/// garbage, base64 of garbage or of an out-of-range instant — can throw.
/// </summary>
internal readonly record struct UserCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public override string ToString() => KeysetCursor.Encode(CreatedAt, Id);

    public static bool TryParse(string? value, out UserCursor cursor)
    {
        var ok = KeysetCursor.TryDecode(value, out var at, out Guid id);
        cursor = ok ? new UserCursor(at, id) : default;
        return ok;
    }
}
