using System.Security.Cryptography;
using Agepar.Bff.Auth;
using Agepar.Data.Auth;
using Agepar.Data.Protection;

namespace Agepar.UnitTests.Protection;

public sealed class CpfProtectorTests
{
    private const string KeyA = "a-random-data-key-of-at-least-32-characters-AAAA";
    private const string KeyB = "another-random-data-key-at-least-32-chars-BBBBBB";
    private const string IndexKey = "the-blind-index-key-at-least-32-characters-IIII";
    private const string Cpf = "52998224725";

    private static readonly CpfProtector A = new(KeyA, null, IndexKey);

    [Fact]
    public void The_blind_index_is_the_same_for_the_plain_and_the_formatted_cpf_and_differs_per_cpf_and_per_key()
    {
        Assert.Equal(A.Hmac(Cpf), A.Hmac("529.982.247-25"));
        Assert.Equal(A.Hmac(Cpf), A.Hmac(" 52998224725 "));
        Assert.Equal(CpfProtector.HmacSize, A.Hmac(Cpf).Length);
        Assert.NotEqual(A.Hmac(Cpf), A.Hmac("11144477735"));
        Assert.NotEqual(A.Hmac(Cpf), new CpfProtector(KeyA, null, IndexKey + "x").Hmac(Cpf));
        // The data key plays no part: a rotation keeps every index (and the audit chain) as it is.
        Assert.Equal(A.Hmac(Cpf), new CpfProtector(KeyB, KeyA, IndexKey).Hmac(Cpf));
        Assert.Throws<ArgumentException>(() => A.Hmac("123"));
        Assert.Equal("cpf:" + Convert.ToHexStringLower(A.Hmac(Cpf)), A.HmacText("529.982.247-25"));
    }

    [Fact]
    public void A_protected_cpf_round_trips_is_44_bytes_with_its_key_id_and_never_repeats()
    {
        var first = A.Protect("529.982.247-25")!;
        var second = A.Protect(Cpf)!;
        Assert.Equal(CpfProtector.CipherSize, first.Cipher.Length);
        Assert.Equal(44, CpfProtector.CipherSize);
        Assert.Equal(A.CurrentKeyId, CpfProtector.KeyIdOf(first.Cipher));
        Assert.NotEqual(first.Cipher, second.Cipher); // random nonce: equal CPFs do not give equal ciphertexts
        Assert.Equal(Cpf, A.Unprotect(first));
        Assert.Equal(Cpf, A.Unprotect(second));
        Assert.Null(A.Protect(null));
        // Neither the digits nor the formatted CPF appear in the stored bytes.
        Assert.DoesNotContain(Cpf, System.Text.Encoding.ASCII.GetString(first.Cipher));
    }

    [Fact]
    public void Key_ids_come_from_the_key_and_differ_between_keys()
    {
        Assert.Equal(A.CurrentKeyId, new CpfProtector(KeyA, null, IndexKey).CurrentKeyId);
        Assert.NotEqual(A.CurrentKeyId, new CpfProtector(KeyB, null, IndexKey).CurrentKeyId);
        Assert.Matches("^[0-9a-f]{8}$", CpfProtector.FormatKeyId(A.CurrentKeyId));
    }

    [Fact]
    public void A_wrong_key_a_tampered_byte_or_a_ciphertext_moved_to_another_cpf_fails_to_decrypt()
    {
        var stored = A.Protect(Cpf)!;
        Assert.Throws<CryptographicException>(() => new CpfProtector(KeyB, null, IndexKey).Unprotect(stored));

        var tampered = (byte[])stored.Cipher.Clone();
        tampered[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => A.Unprotect(tampered, stored.Hmac));

        // The blind index is the associated data: a ciphertext copied next to another CPF's index does not decrypt.
        Assert.ThrowsAny<CryptographicException>(() => A.Unprotect(stored.Cipher, A.Hmac("11144477735")));
    }

    [Fact]
    public void During_a_rotation_the_previous_key_still_decrypts_and_reencrypt_moves_a_value_to_the_new_key()
    {
        var old = A.Protect(Cpf)!;
        var rotating = new CpfProtector(KeyB, KeyA, IndexKey);
        Assert.Equal(A.CurrentKeyId, rotating.PreviousKeyId);
        Assert.Equal(Cpf, rotating.Unprotect(old));

        var moved = rotating.Reencrypt(old.Cipher, old.Hmac);
        Assert.Equal(rotating.CurrentKeyId, CpfProtector.KeyIdOf(moved));
        Assert.Equal(Cpf, new CpfProtector(KeyB, null, IndexKey).Unprotect(moved, old.Hmac));
        Assert.Throws<CryptographicException>(() => A.Unprotect(moved, old.Hmac));
    }

    [Fact]
    public void Missing_short_or_repeated_keys_are_refused_with_the_parameter_name()
    {
        Assert.Contains("data-encryption-key", Assert.Throws<ArgumentException>(() => new CpfProtector("", null, IndexKey)).Message);
        Assert.Contains("data-index-key", Assert.Throws<ArgumentException>(() => new CpfProtector(KeyA, null, "short")).Message);
        Assert.Throws<ArgumentException>(() => new CpfProtector(KeyA, KeyA, IndexKey));
        var error = Assert.Throws<InvalidOperationException>(() => new PersonalDataOptions { IndexKey = IndexKey }.CreateProtector());
        Assert.Contains("PersonalData__EncryptionKey", error.Message);
    }

    [Fact]
    public void The_canary_decrypts_only_under_its_key()
    {
        var canary = A.CanaryCipher();
        Assert.True(A.IsCanary(canary, A.CanaryHmac()));
        Assert.True(new CpfProtector(KeyB, KeyA, IndexKey).IsCanary(canary, A.CanaryHmac()));
        Assert.False(new CpfProtector(KeyB, null, IndexKey).IsCanary(canary, A.CanaryHmac()));
    }

    [Theory]
    [InlineData("52998224725", "***.982.247-**")]
    [InlineData("12345678909", "***.456.789-**")]
    [InlineData("123", "***.***.***-**")]
    public void Masking_keeps_only_the_middle_six_digits(string digits, string masked) =>
        Assert.Equal(masked, CpfProtector.Mask(digits));

    [Fact]
    public void Administrators_and_superusers_see_cpfs_in_clear_everyone_else_masked()
    {
        var stored = A.Protect("123.456.789-09")!;
        CurrentUser Viewer(bool superuser, params string[] roles) =>
            new(Guid.NewGuid(), Guid.NewGuid(), "v", "v@x", null, new HashSet<string>(roles), superuser, false);

        Assert.Equal("12345678909", CpfDisclosure.For(Viewer(false, RoleNames.Admin), stored.Cipher, stored.Hmac, A));
        Assert.Equal("12345678909", CpfDisclosure.For(Viewer(true), stored.Cipher, stored.Hmac, A));
        Assert.Equal("***.456.789-**", CpfDisclosure.For(Viewer(false, RoleNames.Auditor), stored.Cipher, stored.Hmac, A));
        Assert.Equal("***.456.789-**", CpfDisclosure.For(Viewer(false, RoleNames.Dp, RoleNames.User), stored.Cipher, stored.Hmac, A));
        Assert.Null(CpfDisclosure.For(Viewer(false, RoleNames.Admin), null, null, A));
        Assert.Equal("12345678909", CpfDisclosure.Own(new User { Email = "u@x", Name = "u", CpfEncrypted = stored.Cipher, CpfHmac = stored.Hmac }, A));
    }

    [Fact]
    public void A_login_identifier_keeps_a_cpf_only_as_its_blind_index()
    {
        var byCpf = LoginIdentifier.Parse("529.982.247-25", A);
        Assert.True(byCpf.IsCpf);
        Assert.Equal(A.Hmac(Cpf), byCpf.CpfHmac);
        Assert.Equal(A.HmacText(Cpf), byCpf.Stored);
        Assert.DoesNotContain(Cpf, byCpf.Stored);

        var byEmail = LoginIdentifier.Parse(" Ana@X.BR ", A);
        Assert.Equal("ana@x.br", byEmail.Stored);
        Assert.Null(byEmail.CpfHmac);
    }

}
