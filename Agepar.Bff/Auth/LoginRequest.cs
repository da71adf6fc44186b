namespace Agepar.Bff.Auth;

/// <summary>Sign-in: <paramref name="Identifier"/> is an e-mail (any case) or a CPF (11 digits, or <c>123.456.789-01</c>).</summary>
public sealed record LoginRequest(string? Identifier, string? Password, bool RememberMe = false);
