using Agepar.Bff.Auth;
using Microsoft.Extensions.Options;

namespace Agepar.Tests.Auth;

/// <summary>Argon2id interoperability: hashes made by the reference C implementation (libargon2) verify here.</summary>
public sealed class PasswordHasherTests
{
    /// <summary>
    /// Made by libargon2 (the reference implementation argon2-cffi wraps) with the current portal's parameters:
    /// <c>argon2id_hash_encoded(t=3, m=65536, p=4, "Senha-de-teste-2024", salt "agepar-fixed-salt", hashlen 32)</c>.
    /// </summary>
    public const string PortalVector = "$argon2id$v=19$m=65536,t=3,p=4$YWdlcGFyLWZpeGVkLXNhbHQ$rZhHF1jrINVfdtyFA/cUFF4enit6e4gESBbRqEvz8aw";

    public const string PortalVectorPassword = "Senha-de-teste-2024";

    /// <summary>The phc-winner-argon2 reference test vector: password "password", salt "somesalt", t=2, m=65536, p=1.</summary>
    public const string ReferenceVector = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    private static PasswordHasher Hasher() => new(Options.Create(new PasswordHashingOptions()));

    [Fact]
    public void A_libargon2_hash_with_the_portal_parameters_verifies_and_needs_no_rehash()
    {
        using var hasher = Hasher();

        Assert.Equal(PasswordCheck.Success, hasher.Verify(PortalVector, PortalVectorPassword));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(PortalVector, PortalVectorPassword + "x"));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(PortalVector, "senha-de-teste-2024"));
    }

    [Fact]
    public void The_reference_vector_verifies_and_is_flagged_for_rehash_because_its_parameters_are_weaker()
    {
        using var hasher = Hasher();

        Assert.Equal(PasswordCheck.SuccessRehashNeeded, hasher.Verify(ReferenceVector, "password"));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(ReferenceVector, "passwore"));
        Assert.True(hasher.NeedsRehash(ReferenceVector));
        Assert.False(hasher.NeedsRehash(PortalVector));
    }

    [Fact]
    public async Task New_hashes_are_argon2id_phc_strings_with_the_configured_parameters_and_a_random_salt()
    {
        using var hasher = Hasher();

        var first = await hasher.HashAsync("Um4-senha-boa");
        var second = await hasher.HashAsync("Um4-senha-boa");

        Assert.StartsWith("$argon2id$v=19$m=65536,t=3,p=4$", first);
        Assert.NotEqual(first, second);
        Assert.Equal(PasswordCheck.Success, await hasher.VerifyAsync(first, "Um4-senha-boa"));
        Assert.Equal(PasswordCheck.Failed, await hasher.VerifyAsync(first, "Um4-senha-bo"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("$argon2id$v=19$m=65536,t=3,p=4$garbage")]
    [InlineData("$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234")]
    public async Task A_missing_or_unreadable_hash_accepts_no_password(string? stored)
    {
        using var hasher = Hasher();

        foreach (var candidate in new[] { "", "password", "plaintext", stored ?? "x" })
        {
            Assert.Equal(PasswordCheck.Failed, await hasher.VerifyAsync(stored, candidate));
        }
    }
}
