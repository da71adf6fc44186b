namespace Agepar.Tests.Infrastructure;

/// <summary>Argon2id hashes made outside .NET, shared by the unit and the integration tests.</summary>
public static class Argon2Vectors
{
    /// <summary>
    /// Made by libargon2 (the reference implementation argon2-cffi wraps) with the current portal's parameters:
    /// <c>argon2id_hash_encoded(t=3, m=65536, p=4, "Senha-de-teste-2024", salt "agepar-fixed-salt", hashlen 32)</c>.
    /// </summary>
    public const string Portal = "$argon2id$v=19$m=65536,t=3,p=4$YWdlcGFyLWZpeGVkLXNhbHQ$rZhHF1jrINVfdtyFA/cUFF4enit6e4gESBbRqEvz8aw";

    public const string PortalPassword = "Senha-de-teste-2024";

    /// <summary>The phc-winner-argon2 reference test vector: password "password", salt "somesalt", t=2, m=65536, p=1.</summary>
    public const string Reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
}
