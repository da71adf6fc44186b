using Agepar.Bff.Audits;
using Agepar.Data;
using Agepar.Data.Protection;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>Dependencies of the change-password handler.</summary>
internal sealed record PasswordChangeServices(
    AgeparDbContext Db,
    PasswordHasher Hasher,
    PasswordPolicy Policy,
    LoginRateLimiter RateLimiter,
    LoginService Login,
    SessionService Sessions,
    AuditWriter Audits,
    IOptions<AuthSessionOptions> SessionOptions,
    IHostEnvironment Environment,
    CpfProtector Protector);
