using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Auth;

/// <summary>
/// Argon2id parameters for new hashes (configuration section <c>Auth:PasswordHashing</c>). The defaults are the
/// current portal's (argon2-cffi: m=65536 KiB, t=3, p=4, 32-byte hash, 16-byte salt). A stored hash weaker than these
/// is re-hashed at the next successful login.
/// </summary>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Auth:PasswordHashing";

    [Range(8_192, 4_194_304)]
    public int MemoryKiB { get; set; } = 65_536;

    [Range(1, 100)]
    public int Iterations { get; set; } = 3;

    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    [Range(16, 128)]
    public int HashLength { get; set; } = 32;

    [Range(16, 64)]
    public int SaltLength { get; set; } = 16;

    /// <summary>At most this many hashes run at once (each holds <see cref="MemoryKiB"/> of memory); others wait.</summary>
    [Range(1, 256)]
    public int MaxConcurrentHashes { get; set; } = 4;

    /// <summary>
    /// Once no hash has run for this long, the hashes' working memory is returned to the operating system
    /// (<see cref="HashMemoryRelease"/>); <c>00:00:00</c> leaves it to the GC.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReleaseMemoryAfter { get; set; } = TimeSpan.FromSeconds(2);
}
