namespace Agepar.Bff.Infrastructure;

/// <summary>Who acted: the user id and the name/e-mail snapshot taken at the time.</summary>
internal sealed record ActorInfo(Guid? UserId, string? Name, string? Email);
