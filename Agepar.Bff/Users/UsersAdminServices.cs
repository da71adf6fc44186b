using Agepar.Bff.Audits;
using Agepar.Bff.Auth;
using Agepar.Data;

namespace Agepar.Bff.Users;

/// <summary>Dependencies of the user administration handlers.</summary>
internal sealed record UsersAdminServices(
    AgeparDbContext Db,
    PasswordHasher Hasher,
    PasswordPolicy Policy,
    SessionService Sessions,
    AuditWriter Audits,
    AccessDenials Denials,
    HttpContext Http,
    Agepar.Data.Protection.CpfProtector Protector);
