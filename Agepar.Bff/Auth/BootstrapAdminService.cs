using Agepar.Bff.Audits;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Agepar.Bff.Auth;

/// <summary>
/// Creates the first administrator at startup from <see cref="BootstrapOptions"/> (the AppHost's secret parameters):
/// role <c>admin</c>, not superuser, <c>must_change_password</c> set. Once: only while no active administrator exists
/// and no bootstrap admin was ever created (see <see cref="WhyNotAsync"/>); an existing account is never touched.
/// Without both e-mail and password nothing happens: there is no default password.
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

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<PasswordHasher>();
        var audits = scope.ServiceProvider.GetRequiredService<AuditWriter>();
        var email = o.AdminEmail.Trim().ToLowerInvariant();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Replicas starting together decide one after the other.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended('agepar:bootstrap-admin', 0))", ct);
            if (await WhyNotAsync(db, email, ct) is { } reason)
            {
                LogNotCreated(email, reason);
                return;
            }

            var adminRole = await db.Roles.SingleAsync(r => r.Name == RoleNames.Admin, ct);
            var user = new User
            {
                Email = email,
                Name = string.IsNullOrWhiteSpace(o.AdminName) ? "Administrador" : o.AdminName.Trim(),
                PasswordHash = await hasher.HashAsync(o.AdminPassword, ct),
                Status = UserStatus.Active,
                IsSuperuser = false,
                MustChangePassword = true,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new UserRole { UserId = user.Id, RoleId = adminRole.Id });
            audits.Add(db, AuditActions.UserCreated, AuditOutcome.Success,
                actorSnapshot: new ActorSnapshot(null, "system:bootstrap", null, null),
                objectType: "user", objectId: user.Id.ToString(),
                metadata: new { source = BootstrapSource, roles = new[] { RoleNames.Admin } });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            LogCreated(email);
        }, cancellationToken);
    }

    /// <summary>
    /// Why no bootstrap admin may be created now, or null when one may: a user already has the e-mail; an active
    /// administrator (admin role or superuser) exists; or a bootstrap admin was created before (its
    /// <c>user.created</c> audit with <c>source = bootstrap</c> is the marker), so renaming that account and
    /// restarting never mints a second one with the same parameters.
    /// </summary>
    private static async Task<string?> WhyNotAsync(AgeparDbContext db, string email, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
        {
            return "a user has this e-mail";
        }

        if (await db.Users.AnyAsync(u => u.Status == UserStatus.Active
                                         && (u.IsSuperuser || u.UserRoles.Any(ur => ur.Role!.Name == RoleNames.Admin)), ct))
        {
            return "an active administrator exists";
        }

        var done = await db.Database.SqlQueryRaw<bool>(
            "SELECT EXISTS (SELECT 1 FROM audits WHERE action = {0} AND metadata->>'source' = {1}) AS \"Value\"",
            AuditActions.UserCreated, BootstrapSource).SingleAsync(ct);
        return done ? "a bootstrap admin was created before" : null;
    }

    private const string BootstrapSource = "bootstrap";

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Bootstrap admin not configured (Bootstrap:AdminEmail / Bootstrap:AdminPassword); none created")]
    private partial void LogSkipped();

    [LoggerMessage(LogLevel.Information, "Bootstrap admin {Email} not created: {Reason}. The bootstrap parameters can be removed")]
    private partial void LogNotCreated(string email, string reason);

    [LoggerMessage(LogLevel.Warning, "Bootstrap admin {Email} created with role admin; the password must be changed at first login")]
    private partial void LogCreated(string email);
}
