using System.Security.Cryptography;
using System.Text;

namespace Agepar.MigrationService;

/// <summary>
/// SCRAM-SHA-256 password verifiers (RFC 7677, PostgreSQL's pg_authid format). Provisioning sends the verifier,
/// never the clear password, so no server log or pg_stat_statements entry can contain it.
/// </summary>
internal static class ScramVerifier
{
    private const int Iterations = 4096;

    public static string Create(string password) => Create(password, RandomNumberGenerator.GetBytes(16), Iterations);

    /// <summary>True when <paramref name="verifier"/> (from pg_authid) was made from <paramref name="password"/>.</summary>
    public static bool Matches(string? verifier, string password)
    {
        // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        if (verifier is null || !verifier.StartsWith("SCRAM-SHA-256$", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = verifier["SCRAM-SHA-256$".Length..].Split('$');
        var head = parts.Length == 2 ? parts[0].Split(':') : [];
        if (head.Length != 2 || !int.TryParse(head[0], out var iterations))
        {
            return false;
        }

        var expected = Create(password, Convert.FromBase64String(head[1]), iterations);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(verifier));
    }

    private static string Create(string password, byte[] salt, int iterations)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
