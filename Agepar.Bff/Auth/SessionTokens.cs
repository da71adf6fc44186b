using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Agepar.Bff.Auth;

/// <summary>
/// The opaque session token (32 random bytes, base64url) and its anti-forgery token. Only SHA-256 digests of both are
/// stored. The CSRF token is HMAC-SHA256(key: session token, "agepar-csrf"): the same value for the whole session
/// (every tab can fetch it), impossible to compute without the HttpOnly cookie, and bound to that one session.
/// </summary>
public static class SessionTokens
{
    public const int TokenBytes = 32;

    private static readonly byte[] CsrfLabel = Encoding.ASCII.GetBytes("agepar-csrf");

    public static string NewToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>SHA-256 of the token's text (what <c>sessions.token_hash</c> / <c>csrf_token_hash</c> hold).</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string CsrfTokenFor(string sessionToken) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(sessionToken), CsrfLabel));

    /// <summary>A plausible session token: base64url of 32 bytes (43 characters). Anything else is not looked up.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Constant-time comparison of a presented token with a stored digest.</summary>
    public static bool Matches(string? presented, byte[]? storedHash) =>
        !string.IsNullOrEmpty(presented) && storedHash is { Length: 32 }
        && CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}
