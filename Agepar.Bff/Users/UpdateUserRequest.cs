namespace Agepar.Bff.Users;

/// <summary>Editable profile data. Null leaves a field unchanged; an empty CPF removes it.</summary>
public sealed record UpdateUserRequest(string? Name, string? Email, string? Cpf);
