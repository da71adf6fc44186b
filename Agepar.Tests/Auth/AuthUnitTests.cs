using Agepar.Bff.Auth;
using Agepar.Data.Auth;
using Agepar.Tests.Infrastructure;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Agepar.Tests.Auth;

/// <summary>Pure rules: cookie flags per environment, CPF, identifiers, password policy, tokens.</summary>
public sealed class AuthUnitTests
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Agepar.Bff";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [Theory]
    [InlineData("Development", false, "agepar_session")]
    [InlineData("Production", true, "__Host-agepar_session")]
    [InlineData("Staging", true, "__Host-agepar_session")]
    public void The_cookie_is_Secure_with_the_Host_prefix_everywhere_but_Development(string environment, bool secure, string name)
    {
        var isSecure = SessionCookie.IsSecure(new Env(environment));
        var options = SessionCookie.Options(isSecure, null);

        Assert.Equal(secure, isSecure);
        Assert.Equal(name, SessionCookie.Name(new AuthSessionOptions(), isSecure));
        Assert.Equal(secure, options.Secure);
        Assert.True(options.HttpOnly);
        Assert.Equal(Microsoft.AspNetCore.Http.SameSiteMode.Lax, options.SameSite);
        Assert.Equal("/", options.Path);
        Assert.Null(options.Domain);
    }

    [Fact]
    public void Generated_cpfs_are_valid_and_check_digits_are_verified()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.True(Cpf.IsValid(TestCpf.New()));
        }

        Assert.True(Cpf.IsValid("52998224725"));
        Assert.False(Cpf.IsValid("52998224726"));
        Assert.False(Cpf.IsValid("11111111111"));
        Assert.Equal("52998224725", Cpf.Normalize("529.982.247-25"));
        Assert.Null(Cpf.Normalize("529.982.247-2"));
        Assert.Equal("529.982.247-25", Cpf.Format("52998224725"));
    }

    [Theory]
    [InlineData("529.982.247-25", "52998224725", true)]
    [InlineData("52998224725", "52998224725", true)]
    [InlineData(" Maria.Souza@Agepar.PR.gov.br ", "maria.souza@agepar.pr.gov.br", false)]
    [InlineData("5299822472", "5299822472", false)]
    public void Identifiers_are_a_cpf_when_they_are_11_digits_else_a_lower_case_email(string raw, string value, bool isCpf)
    {
        var parsed = LoginIdentifier.Parse(raw, TestDataKeys.Protector);
        Assert.Equal((value, isCpf), (parsed.Value, parsed.IsCpf));
        // A CPF is stored and counted only as its blind index, never in clear.
        Assert.Equal(isCpf ? TestDataKeys.Protector.HmacText(value) : value, parsed.Stored);
    }

    [Theory]
    [InlineData("curta1", "pelo menos 8")]
    [InlineData("somenteletras", "dígito")]
    [InlineData("1234567890", "letra")]
    [InlineData("aaaa1111aaaa", "caracteres diferentes")]
    [InlineData("Senha@2024", "comum")]
    [InlineData("qwerty123", "comum")]
    [InlineData("maria.souza99", "e-mail")]
    [InlineData("x52998224725", "CPF")]
    [InlineData("Tabajara77!", "nome")]
    public void The_policy_refuses_weak_or_personal_passwords(string password, string expected)
    {
        var policy = new PasswordPolicy(Options.Create(new PasswordPolicyOptions()));

        var errors = policy.Validate(password, "maria.souza@agepar.pr.gov.br", "52998224725", "Maria Tabajara");

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_policy_accepts_a_good_password()
    {
        var policy = new PasswordPolicy(Options.Create(new PasswordPolicyOptions()));

        Assert.Empty(policy.Validate("Cavalo-bateria-7-grampo", "maria.souza@agepar.pr.gov.br", "52998224725", "Maria Souza"));
        Assert.Empty(policy.Validate(ApiSession.NewPassword(), "user-x@agepar.test", null, "Usuário Teste"));
    }

    [Fact]
    public void Tokens_are_32_random_bytes_and_the_csrf_token_is_bound_to_one_session()
    {
        var a = SessionTokens.NewToken();
        var b = SessionTokens.NewToken();

        Assert.Equal(43, a.Length);
        Assert.True(SessionTokens.LooksValid(a));
        Assert.NotEqual(a, b);
        Assert.Equal(32, SessionTokens.Hash(a).Length);
        Assert.Equal(SessionTokens.CsrfTokenFor(a), SessionTokens.CsrfTokenFor(a));
        Assert.NotEqual(SessionTokens.CsrfTokenFor(a), SessionTokens.CsrfTokenFor(b));
        Assert.True(SessionTokens.Matches(SessionTokens.CsrfTokenFor(a), SessionTokens.Hash(SessionTokens.CsrfTokenFor(a))));
        Assert.False(SessionTokens.Matches(SessionTokens.CsrfTokenFor(b), SessionTokens.Hash(SessionTokens.CsrfTokenFor(a))));
        Assert.False(SessionTokens.Matches("", SessionTokens.Hash("")));
        Assert.False(SessionTokens.LooksValid("short"));
        Assert.False(SessionTokens.LooksValid(new string('a', 42) + "="));
    }
}
