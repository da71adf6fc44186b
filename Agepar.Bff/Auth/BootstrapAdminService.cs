using Agepar.Bff.Audits;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agepar.Bff.Auth;

/// <summary>
/// Creates the first administrator at startup from <see cref="BootstrapOptions"/> (the AppHost's secret parameters):
/// role <c>admin</c>, not superuser, <c>must_change_password</c> set. Only when no user has that e-mail; an existing
/// account is never touched. Without both e-mail and password nothing happens: there is no default password.
/// </summary>
internal sealed partial class BootstrapAdminService(
    IServiceScopeFactory scopes, IOptions<BootstrapOptions> options, ILogger<BootstrapAdminService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.AdminEmail) || string.IsNullOrEmpty(o.AdminPassword))
        {
            LogSkipped();
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
            var hasher = scope.ServiceProvider.GetRequiredService<PasswordHasher>();
            var audits = scope.ServiceProvider.GetRequiredService<AuditWriter>();
            var email = o.AdminEmail.Trim().ToLowerInvariant();
            if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
            {
                LogExists(email);
                return;
            }

            var adminRole = await db.Roles.SingleAsync(r => r.Name == RoleNames.Admin, cancellationToken);
            var user = new User
            {
                Email = email,
                Name = string.IsNullOrWhiteSpace(o.AdminName) ? "Administrador" : o.AdminName.Trim(),
                PasswordHash = await hasher.HashAsync(o.AdminPassword, cancellationToken),
                Status = UserStatus.Active,
                IsSuperuser = false,
                MustChangePassword = true,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new UserRole { UserId = user.Id, RoleId = adminRole.Id });
            audits.Add(db, AuditActions.UserCreated, AuditOutcome.Success,
                actorSnapshot: new ActorSnapshot(null, "system:bootstrap", null, null),
                objectType: "user", objectId: user.Id.ToString(),
                metadata: new { source = "bootstrap", roles = new[] { RoleNames.Admin } });
            await db.SaveChangesAsync(cancellationToken);
            LogCreated(email);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            LogExists(o.AdminEmail); // another instance created it first
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Bootstrap admin not configured (Bootstrap:AdminEmail / Bootstrap:AdminPassword); none created")]
    private partial void LogSkipped();

    [LoggerMessage(LogLevel.Information, "Bootstrap admin {Email} already exists; left unchanged")]
    private partial void LogExists(string email);

    [LoggerMessage(LogLevel.Warning, "Bootstrap admin {Email} created with role admin; the password must be changed at first login")]
    private partial void LogCreated(string email);
}
