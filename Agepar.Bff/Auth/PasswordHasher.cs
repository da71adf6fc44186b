using System.Security.Cryptography;
using System.Text;
using Isopoh.Cryptography.Argon2;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Argon2id password hashes as PHC strings (<c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>), compatible with the
/// current portal's argon2-cffi hashes. Hashing is CPU- and memory-heavy, so it runs off the request thread and at
/// most <see cref="PasswordHashingOptions.MaxConcurrentHashes"/> at a time; their working memory is returned to the
/// operating system once hashing is idle (<see cref="HashMemoryRelease"/>).
/// </summary>
public sealed class PasswordHasher : IDisposable
{
    private readonly PasswordHashingOptions _options;
    private readonly SemaphoreSlim _gate;
    private readonly Lazy<string> _dummyHash;
    private readonly HashMemoryRelease? _release;

    public PasswordHasher(IOptions<PasswordHashingOptions> options, HashMemoryRelease? release = null)
    {
        _options = options.Value;
        _release = release;
        _gate = new SemaphoreSlim(_options.MaxConcurrentHashes, _options.MaxConcurrentHashes);
        // Verified when the user does not exist or has no password, so both answers take as long as a real check.
        _dummyHash = new Lazy<string>(() => HashCore(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public async Task<string> HashAsync(string password, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        _release?.HashStarted();
        try
        {
            return await Task.Run(() => HashCore(password), cancellationToken);
        }
        finally
        {
            _release?.HashEnded();
            _gate.Release();
        }
    }

    /// <summary>
    /// Verifies <paramref name="password"/> against <paramref name="storedHash"/>. A null, empty or unreadable hash never
    /// matches, but still costs one full verification (no timing hint that the account has no password).
    /// </summary>
    public async Task<PasswordCheck> VerifyAsync(string? storedHash, string password, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        _release?.HashStarted();
        try
        {
            return await Task.Run(() => VerifyCore(storedHash, password), cancellationToken);
        }
        finally
        {
            _release?.HashEnded();
            _gate.Release();
        }
    }

    /// <summary>Synchronous verification (tests and tools).</summary>
    public PasswordCheck Verify(string? storedHash, string password) => VerifyCore(storedHash, password);

    /// <summary>True when <paramref name="storedHash"/> is not Argon2id v19 or any parameter is below the configured ones.</summary>
    public bool NeedsRehash(string storedHash)
    {
        if (!TryReadParameters(storedHash, out var p))
        {
            return true;
        }

        return p.Type != Argon2Type.HybridAddressing
               || p.Version != Argon2Version.Nineteen
               || p.MemoryKiB < _options.MemoryKiB
               || p.Iterations < _options.Iterations
               || p.Parallelism < _options.Parallelism
               || p.HashLength < _options.HashLength;
    }

    private string HashCore(string password)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var config = new Argon2Config
        {
            Type = Argon2Type.HybridAddressing,
            Version = Argon2Version.Nineteen,
            MemoryCost = _options.MemoryKiB,
            TimeCost = _options.Iterations,
            Lanes = _options.Parallelism,
            Threads = Math.Min(_options.Parallelism, Environment.ProcessorCount),
            HashLength = _options.HashLength,
            Salt = RandomNumberGenerator.GetBytes(_options.SaltLength),
            Password = passwordBytes,
            ClearPassword = true,
        };
        return Argon2.Hash(config);
    }

    private PasswordCheck VerifyCore(string? storedHash, string password)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        if (string.IsNullOrEmpty(storedHash) || !storedHash.StartsWith("$argon2", StringComparison.Ordinal) || !TryReadParameters(storedHash, out _))
        {
            _ = SafeVerify(_dummyHash.Value, passwordBytes);
            return PasswordCheck.Failed;
        }

        if (!SafeVerify(storedHash, passwordBytes))
        {
            return PasswordCheck.Failed;
        }

        return NeedsRehash(storedHash) ? PasswordCheck.SuccessRehashNeeded : PasswordCheck.Success;
    }

    private static bool SafeVerify(string encoded, byte[] password)
    {
        try
        {
            return Argon2.Verify(encoded, password, Environment.ProcessorCount);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private readonly record struct HashParameters(Argon2Type Type, Argon2Version Version, int MemoryKiB, int Iterations, int Parallelism, int HashLength);

    private static bool TryReadParameters(string encoded, out HashParameters parameters)
    {
        parameters = default;
        var config = new Argon2Config();
        try
        {
            if (!config.DecodeString(encoded, out var hash) || hash is null)
            {
                return false;
            }

            using (hash)
            {
                parameters = new HashParameters(config.Type, config.Version, config.MemoryCost, config.TimeCost, config.Lanes, hash.Buffer.Length);
            }

            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _gate.Dispose();
}
