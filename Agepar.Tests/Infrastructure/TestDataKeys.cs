using System.Security.Cryptography;
using Agepar.Data.Protection;

namespace Agepar.Tests.Infrastructure;

/// <summary>
/// The CPF keys of this test run (AppHost parameters <c>data-encryption-key</c> and <c>data-index-key</c>), also given
/// to every migration service and BFF process the tests start, and the protector tests use to write and read CPFs.
/// </summary>
public static class TestDataKeys
{
    public static string EncryptionKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string IndexKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static CpfProtector Protector { get; } = new(EncryptionKey, null, IndexKey);

    /// <summary>The keys as a process's environment (<c>PersonalData__*</c>).</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["PersonalData__EncryptionKey"] = EncryptionKey,
        ["PersonalData__IndexKey"] = IndexKey,
    };

    /// <summary>Sets the keys in <paramref name="environment"/> unless the caller set them (a wrong-key test does).</summary>
    public static void AddTo(IDictionary<string, string?> environment)
    {
        foreach (var (key, value) in Environment)
        {
            environment.TryAdd(key, value);
        }
    }
}
