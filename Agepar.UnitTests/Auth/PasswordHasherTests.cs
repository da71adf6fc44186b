using Agepar.Bff.Auth;
using Agepar.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Agepar.Tests.Auth;

/// <summary>Argon2id interoperability: hashes made by the reference C implementation (libargon2) verify here.</summary>
public sealed class PasswordHasherTests
{
    private static PasswordHasher Hasher() => new(Options.Create(new PasswordHashingOptions()));

    [Fact]
    public void A_libargon2_hash_with_the_portal_parameters_verifies_and_needs_no_rehash()
    {
        using var hasher = Hasher();

        Assert.Equal(PasswordCheck.Success, hasher.Verify(Argon2Vectors.Portal, Argon2Vectors.PortalPassword));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(Argon2Vectors.Portal, Argon2Vectors.PortalPassword + "x"));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(Argon2Vectors.Portal, "senha-de-teste-2024"));
    }

    [Fact]
    public void The_reference_vector_verifies_and_is_flagged_for_rehash_because_its_parameters_are_weaker()
    {
        using var hasher = Hasher();

        Assert.Equal(PasswordCheck.SuccessRehashNeeded, hasher.Verify(Argon2Vectors.Reference, "password"));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(Argon2Vectors.Reference, "passwore"));
        Assert.True(hasher.NeedsRehash(Argon2Vectors.Reference));
        Assert.False(hasher.NeedsRehash(Argon2Vectors.Portal));
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
