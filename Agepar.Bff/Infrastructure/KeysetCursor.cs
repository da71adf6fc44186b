using System.Buffers.Binary;
using System.Buffers.Text;

namespace Agepar.Bff.Infrastructure;

/// <summary>
/// The one cursor codec of every listing (audits, submissions, my submissions, users): base64url of (version,
/// timestamp in microseconds, id). The timestamp has PostgreSQL's precision, so the next page continues exactly after
/// the last row (<c>WHERE (at, id) &lt; (@at, @id)</c>). Decoding checks length, version and the timestamp's range,
/// so no string — garbage, base64 of garbage, an out-of-range instant — can throw; the caller answers 400 through
/// <see cref="PageRequest"/>. Cursors are not signed: a hand-made cursor can only move the start of a page inside the
/// rows the caller's filters and rights already allow.
/// </summary>
internal static class KeysetCursor
{
    public static string Encode<TKey>(KeysetPosition<TKey> position)
        where TKey : struct =>
        position.Id switch
        {
            long id => Encode(position.At, id),
            Guid id => Encode(position.At, id),
            _ => throw new NotSupportedException($"No cursor for a {typeof(TKey).Name} key."),
        };

    public static bool TryDecode<TKey>(string? cursor, out KeysetPosition<TKey> position)
        where TKey : struct
    {
        position = default;
        if (typeof(TKey) == typeof(long) && TryDecode(cursor, out var at, out long longId))
        {
            position = new KeysetPosition<TKey>(at, (TKey)(object)longId);
            return true;
        }

        if (typeof(TKey) == typeof(Guid) && TryDecode(cursor, out at, out Guid guidId))
        {
            position = new KeysetPosition<TKey>(at, (TKey)(object)guidId);
            return true;
        }

        return false;
    }

    private const byte Version = 1;

    public static string Encode(DateTimeOffset at, long id)
    {
        Span<byte> bytes = stackalloc byte[17];
        WriteHead(bytes, at);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], id);
        return Base64Url.EncodeToString(bytes);
    }

    public static string Encode(DateTimeOffset at, Guid id)
    {
        Span<byte> bytes = stackalloc byte[25];
        WriteHead(bytes, at);
        id.TryWriteBytes(bytes[9..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? cursor, out DateTimeOffset at, out long id)
    {
        id = 0;
        if (!TryReadHead(cursor, 17, out var bytes, out at))
        {
            return false;
        }

        id = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9));
        return true;
    }

    public static bool TryDecode(string? cursor, out DateTimeOffset at, out Guid id)
    {
        id = Guid.Empty;
        if (!TryReadHead(cursor, 25, out var bytes, out at))
        {
            return false;
        }

        id = new Guid(bytes.AsSpan(9), bigEndian: true);
        return true;
    }

    private static void WriteHead(Span<byte> bytes, DateTimeOffset at)
    {
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], (at.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10);
    }

    private static bool TryReadHead(string? cursor, int length, out byte[] bytes, out DateTimeOffset at)
    {
        at = default;
        bytes = [];
        if (cursor is null || cursor.Length > 64)
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length != length || bytes[0] != Version)
        {
            return false;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (micros < -DateTimeOffset.UnixEpoch.Ticks / 10 || micros > (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10)
        {
            return false;
        }

        at = new DateTimeOffset(DateTimeOffset.UnixEpoch.Ticks + (micros * 10), TimeSpan.Zero);
        return true;
    }
}
