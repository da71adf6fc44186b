using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Agepar.Data.Auth;

namespace Agepar.Data.Protection;

/// <summary>
/// Encrypts CPFs for storage and computes their blind index (docs/schema.md, "Encrypted CPFs"). Shared by the BFF and
/// the migration service so both write the same bytes.
/// <list type="bullet">
/// <item>Blind index: <c>HMAC-SHA256(index key, the 11 digits)</c>, 32 bytes — what every lookup, uniqueness check
/// and audit chain link uses, so no query and no hash needs the clear value.</item>
/// <item>Ciphertext: AES-256-GCM in the application, <c>0x01 ‖ key id (4) ‖ nonce (12) ‖ ciphertext (11) ‖ tag (16)</c>,
/// 44 bytes, with the row's blind index as associated data: a ciphertext copied next to another CPF's index fails to
/// decrypt. The key id (first 4 bytes of a SHA-256 of the key) lets the current and the previous key coexist while
/// <c>rotate-data-key</c> runs.</item>
/// </list>
/// The keys come from the secret parameters <c>data-encryption-key</c> (and <c>data-encryption-key-previous</c>
/// during a rotation) and <c>data-index-key</c>; they never reach the database (no key in SQL, parameters or logs).
/// Thread-safe.
/// </summary>
public sealed class CpfProtector
{
    /// <summary>Bytes of a stored ciphertext.</summary>
    public const int CipherSize = 1 + KeyIdSize + NonceSize + 11 + TagSize;

    /// <summary>Bytes of a blind index.</summary>
    public const int HmacSize = 32;

    /// <summary>Bytes of a key id (the ciphertext's prefix after the format byte).</summary>
    public const int KeyIdSize = 4;

    /// <summary>Shortest accepted key parameter: the keys are random secrets, not passwords.</summary>
    public const int MinKeyLength = 32;

    private const byte FormatVersion = 0x01;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly DataKey _current;
    private readonly DataKey? _previous;
    private readonly byte[] _indexKey;

    public CpfProtector(string encryptionKey, string? previousEncryptionKey, string indexKey)
    {
        _current = DataKey.From(encryptionKey, "data-encryption-key");
        _previous = string.IsNullOrEmpty(previousEncryptionKey) ? null : DataKey.From(previousEncryptionKey, "data-encryption-key-previous");
        if (_previous is not null && _previous.Id == _current.Id)
        {
            throw new ArgumentException("data-encryption-key-previous is the same key as data-encryption-key.", nameof(previousEncryptionKey));
        }

        _indexKey = Derive(Require(indexKey, "data-index-key"), "agepar/cpf-blind-index/v1");
    }

    /// <summary>The current key's id (new ciphertexts carry it).</summary>
    public int CurrentKeyId => _current.Id;

    /// <summary>The previous key's id, while a rotation is configured.</summary>
    public int? PreviousKeyId => _previous?.Id;

    /// <summary>The key id as it appears in logs and docs: 8 hex digits.</summary>
    public static string FormatKeyId(int id) => id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The blind index of a CPF (plain or formatted); throws when <paramref name="cpf"/> is not a CPF.</summary>
    public byte[] Hmac(string cpf) =>
        HMACSHA256.HashData(_indexKey, Encoding.ASCII.GetBytes(Cpf.Normalize(cpf) ?? throw new ArgumentException("Not a CPF.", nameof(cpf))));

    /// <summary>The blind index as text (<c>cpf:</c> + 64 hex digits): for keys where text is stored (login attempts, rate-limit locks).</summary>
    public string HmacText(string cpf) => "cpf:" + Convert.ToHexStringLower(Hmac(cpf));

    /// <summary>Ciphertext and blind index of a CPF, or null when <paramref name="cpf"/> is null.</summary>
    public SealedCpf? Protect(string? cpf)
    {
        if (cpf is null)
        {
            return null;
        }

        var digits = Cpf.Normalize(cpf) ?? throw new ArgumentException("Not a CPF.", nameof(cpf));
        var hmac = Hmac(digits);
        return new SealedCpf(Encrypt(digits, hmac, _current), hmac);
    }

    /// <summary>The 11 digits; throws <see cref="CryptographicException"/> for an unknown key or a tampered value.</summary>
    public string Unprotect(SealedCpf value) => Unprotect(value.Cipher, value.Hmac);

    /// <inheritdoc cref="Unprotect(SealedCpf)"/>
    public string Unprotect(byte[] cipher, byte[] hmac)
    {
        if (cipher.Length != CipherSize || cipher[0] != FormatVersion)
        {
            throw new CryptographicException("Not an encrypted CPF of a known format.");
        }

        var id = KeyIdOf(cipher);
        var key = id == _current.Id ? _current : id == _previous?.Id ? _previous : null;
        if (key is null)
        {
            throw new CryptographicException(
                $"CPF encrypted under key {FormatKeyId(id)}, which is neither data-encryption-key ({FormatKeyId(_current.Id)}) nor data-encryption-key-previous.");
        }

        var plain = new byte[11];
        using (var aes = new AesGcm(key.Bytes, TagSize))
        {
            aes.Decrypt(cipher.AsSpan(1 + KeyIdSize, NonceSize), cipher.AsSpan(1 + KeyIdSize + NonceSize, 11), cipher.AsSpan(CipherSize - TagSize), plain, hmac);
        }

        return Encoding.ASCII.GetString(plain);
    }

    /// <summary>Re-encrypts under the current key (rotation); the blind index does not change.</summary>
    public byte[] Reencrypt(byte[] cipher, byte[] hmac) => Encrypt(Unprotect(cipher, hmac), hmac, _current);

    /// <summary>The key id a ciphertext was made with.</summary>
    public static int KeyIdOf(ReadOnlySpan<byte> cipher) => BinaryPrimitives.ReadInt32BigEndian(cipher.Slice(1, KeyIdSize));

    /// <summary>A fixed plaintext encrypted under the current key: the database keeps one so a wrong key fails at startup.</summary>
    public byte[] CanaryCipher() => Encrypt(CanaryText, CanaryHmac(), _current);

    /// <summary>The blind index of the canary: the database keeps it so a wrong index key fails at startup.</summary>
    public byte[] CanaryHmac() => HMACSHA256.HashData(_indexKey, Encoding.ASCII.GetBytes(CanaryText));

    /// <summary>True when <paramref name="cipher"/> decrypts to the canary under a configured key.</summary>
    public bool IsCanary(byte[] cipher, byte[] hmac)
    {
        try
        {
            return Unprotect(cipher, hmac) == CanaryText;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Masked for readers without the right to see it: <c>***.456.789-**</c> (the middle six digits).</summary>
    public static string Mask(string digits) =>
        digits is { Length: 11 } ? $"***.{digits[3..6]}.{digits[6..9]}-**" : "***.***.***-**";

    // Same length as a CPF: the format byte checks the size.
    private const string CanaryText = "canary00000";

    private static byte[] Encrypt(string digits, byte[] hmac, DataKey key)
    {
        var output = new byte[CipherSize];
        output[0] = FormatVersion;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, KeyIdSize), key.Id);
        var nonce = output.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Bytes, TagSize);
        aes.Encrypt(nonce, Encoding.ASCII.GetBytes(digits), output.AsSpan(1 + KeyIdSize + NonceSize, 11), output.AsSpan(CipherSize - TagSize), hmac);
        return output;
    }

    private static string Require(string? value, string name) =>
        value is { Length: >= MinKeyLength }
            ? value
            : throw new ArgumentException($"The {name} parameter is missing or shorter than {MinKeyLength} characters.", name);

    // The parameter is a random string (generated by the AppHost or the operator): HKDF turns it into key bytes, with
    // a different label per use so the encryption key, its id and the index key are independent.
    private static byte[] Derive(string secret, string label) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.ASCII.GetBytes(label));

    private sealed record DataKey(byte[] Bytes, int Id)
    {
        public static DataKey From(string secret, string name)
        {
            Require(secret, name);
            return new DataKey(
                Derive(secret, "agepar/cpf-aes-256-gcm/v1"),
                BinaryPrimitives.ReadInt32BigEndian(Derive(secret, "agepar/cpf-key-id/v1").AsSpan(0, KeyIdSize)));
        }
    }
}

/// <summary>A CPF as stored: its ciphertext and its blind index (columns <c>*cpf_encrypted</c>, <c>*cpf_hmac</c>).</summary>
public sealed record SealedCpf(byte[] Cipher, byte[] Hmac);
