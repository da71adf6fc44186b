using System.Security.Cryptography;

namespace Agepar.Bff.Users;

/// <summary>Random temporary passwords: 16 characters of letters and digits (at least two of each), no look-alikes.</summary>
internal static class TemporaryPasswords
{
    private const string Letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";

    public static string New()
    {
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++)
        {
            var pool = i < 2 ? Digits : i < 4 ? Letters : Letters + Digits;
            chars[i] = pool[RandomNumberGenerator.GetInt32(pool.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
