namespace Agepar.Bff.Infrastructure;

/// <summary>
/// Who acted: the user id and the name/e-mail snapshot taken at the time; in the audit panel also the CPF snapshot,
/// in clear for administrators and masked (<c>***.456.789-**</c>) for the other panel roles.
/// </summary>
internal sealed record ActorInfo(Guid? UserId, string? Name, string? Email, string? Cpf = null);
