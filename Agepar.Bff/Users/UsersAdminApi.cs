using Agepar.Bff.Auth;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Auth;
using Agepar.Data.Protection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agepar.Bff.Users;

/// <summary>
/// User administration (<c>/api/admin/users</c>, policy <see cref="AuthPolicies.ManageUsers"/>): list, create, update,
/// block/unblock (revokes the user's sessions at once), set roles, reset password (forces a change at next login).
/// Every change is audited and invalidates the user's cached sessions, so it applies on their very next request.
/// </summary>
public static class UsersAdminApi
{
    public static RouteGroupBuilder MapUsersAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/roles", ListRolesAsync)
            .WithTags("Users").WithName("ListRoles").WithSummary("Every role that can be granted.")
            .RequireAuthorization(AuthPolicies.ManageUsers);

        var group = app.MapGroup("/api/admin/users").WithTags("Users").RequireAuthorization(AuthPolicies.ManageUsers);
        group.MapGet("/", ListAsync).WithName("ListUsers")
            .WithSummary("Users, newest first (keyset paging with cursor); filter by q (name, e-mail, or a whole CPF), status, role.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetUser").WithSummary("One user.");
        group.MapPost("/", CreateAsync).WithName("CreateUser")
            .WithSummary("Create a user (password policy applies; without a password a temporary one is generated).");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateUser").WithSummary("Change name, e-mail or CPF.");
        group.MapPost("/{id:guid}/block", BlockAsync).WithName("BlockUser")
            .WithSummary("Block the user and revoke every session at once.");
        group.MapPost("/{id:guid}/unblock", UnblockAsync).WithName("UnblockUser")
            .WithSummary("Activate a blocked or pending user.");
        group.MapPut("/{id:guid}/roles", SetRolesAsync).WithName("SetUserRoles")
            .WithSummary("Replace the user's roles; takes effect on their next request.");
        group.MapPost("/{id:guid}/reset-password", ResetPasswordAsync).WithName("ResetUserPassword")
            .WithSummary("Set or generate a password, force a change at next login and revoke every session.");
        return group;
    }

    private static async Task<Ok<List<RoleView>>> ListRolesAsync(AgeparDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Roles.AsNoTracking().OrderBy(r => r.Name).Select(r => new RoleView(r.Name, r.Description)).ToListAsync(ct));

    private static async Task<Results<Ok<Page<AdminUserView>>, ValidationProblem>> ListAsync(
        AgeparDbContext db, HttpContext http, CpfProtector protector, string? q, string? status, string? role, string? limit, string? cursor, CancellationToken ct)
    {
        // Every parameter is bound as text and checked by the shared parsers (never a binding failure or a 500).
        var errors = new ValidationErrors();
        var search = FilterParsing.Text("q", q, UserValidation.MaxEmailLength, errors);
        var statusFilter = FilterParsing.OneOf("status", status, UserStatus.All, errors);
        var roleFilter = FilterParsing.Text("role", role, 100, errors);
        var page = PageRequest.Parse<Guid>(cursor, limit, 50, 500, errors);

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var query = db.Users.AsNoTracking();
        if (search is not null)
        {
            var pattern = LikePattern.Contains(search);
            // A CPF is found whole, by its blind index: the database cannot match part of an encrypted value.
            var cpfHmac = Cpf.Normalize(search) is { } digits ? protector.Hmac(digits) : null;
            query = query.Where(u => EF.Functions.ILike(u.Name, pattern) || EF.Functions.ILike(u.Email, pattern)
                                     || (cpfHmac != null && u.CpfHmac == cpfHmac));
        }

        if (statusFilter is not null)
        {
            query = query.Where(u => u.Status == statusFilter);
        }

        if (roleFilter is not null)
        {
            query = query.Where(u => u.UserRoles.Any(ur => ur.Role!.Name == roleFilter));
        }

        var viewer = http.RequireCurrentUser();
        var rows = (await Project(query.NewestFirst(u => u.CreatedAt, u => u.Id, page)).ToListAsync(ct))
            .ConvertAll(row => row.ToView(viewer, protector));
        return TypedResults.Ok(page.ToPage(rows, u => new KeysetPosition<Guid>(u.CreatedAt, u.Id)));
    }

    private static async Task<Results<Ok<AdminUserView>, ProblemHttpResult>> GetAsync(
        Guid id, AgeparDbContext db, HttpContext http, CpfProtector protector, CancellationToken ct) =>
        await FindViewAsync(db, id, http, protector, ct) is { } view ? TypedResults.Ok(view) : NotFound();

    private static async Task<Results<Created<CreatedUserResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, [AsParameters] UsersAdminServices s, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = UserValidation.NormalizeName(request.Name, errors);
        var email = UserValidation.NormalizeEmail(request.Email, errors);
        var cpf = UserValidation.NormalizeCpf(request.Cpf, errors);
        var roleNames = (request.Roles is { Count: > 0 } ? request.Roles : [RoleNames.User]).Distinct().ToList();
        List<Role> roles = [];
        if (UserValidation.CheckRoleNames(roleNames, errors))
        {
            roles = await s.Db.Roles.Where(r => roleNames.Contains(r.Name)).ToListAsync(ct);
            if (roles.Count != roleNames.Count)
            {
                errors["roles"] = [$"Papéis desconhecidos: {string.Join(", ", roleNames.Except(roles.Select(r => r.Name)))}."];
            }
        }

        var generated = request.Password is null ? TemporaryPasswords.New() : null;
        var password = request.Password ?? generated!;
        if (errors.Count == 0 && s.Policy.Validate(password, email, cpf, name) is { Count: > 0 } policyErrors)
        {
            errors["password"] = [.. policyErrors];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var sealedCpf = s.Protector.Protect(cpf);
        if (await ConflictAsync(s.Db, null, email, sealedCpf?.Hmac, ct) is { } conflict)
        {
            return conflict;
        }

        var user = new User
        {
            Name = name!,
            Email = email!,
            CpfEncrypted = sealedCpf?.Cipher,
            CpfHmac = sealedCpf?.Hmac,
            PasswordHash = await s.Hasher.HashAsync(password, ct),
            Status = UserStatus.Active,
            MustChangePassword = request.MustChangePassword ?? true,
        };
        s.Db.Users.Add(user);
        foreach (var r in roles)
        {
            s.Db.UserRoles.Add(new UserRole { UserId = user.Id, RoleId = r.Id });
        }

        s.Audits.Add(s.Db, AuditActions.UserCreated, AuditOutcome.Success, objectType: "user", objectId: user.Id.ToString(),
            metadata: new { email = user.Email, roles = roleNames, mustChangePassword = user.MustChangePassword, generatedPassword = generated is not null });
        if (await SaveAsync(s.Db, ct) is { } raced)
        {
            return raced;
        }

        var view = (await FindViewAsync(s.Db, user.Id, s.Http, s.Protector, ct))!;
        return TypedResults.Created($"/api/admin/users/{user.Id}", new CreatedUserResponse(view, generated));
    }

    private static async Task<Results<Ok<AdminUserView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateUserRequest request, [AsParameters] UsersAdminServices s, CancellationToken ct)
    {
        var user = await s.Db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return NotFound();
        }

        if (await SuperuserGuardAsync(user, s) is { } protectedUser)
        {
            return protectedUser;
        }

        var errors = new Dictionary<string, string[]>();
        var name = request.Name is null ? user.Name : UserValidation.NormalizeName(request.Name, errors);
        var email = request.Email is null ? user.Email : UserValidation.NormalizeEmail(request.Email, errors);
        // Null leaves the CPF as it is; compared and checked for uniqueness by blind index.
        var cpf = request.Cpf is null ? null : UserValidation.NormalizeCpf(request.Cpf, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var cpfHmac = request.Cpf is null ? user.CpfHmac : cpf is null ? null : s.Protector.Hmac(cpf);
        if (await ConflictAsync(s.Db, id, email, cpfHmac, ct) is { } conflict)
        {
            return conflict;
        }

        var changed = new List<string>();
        if (name != user.Name) { changed.Add("name"); user.Name = name!; }
        if (!string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase)) { changed.Add("email"); user.Email = email!; }
        if (!(cpfHmac ?? []).AsSpan().SequenceEqual(user.CpfHmac ?? []))
        {
            changed.Add("cpf");
            var sealedCpf = s.Protector.Protect(cpf);
            user.CpfEncrypted = sealedCpf?.Cipher;
            user.CpfHmac = sealedCpf?.Hmac;
        }

        if (changed.Count > 0)
        {
            s.Audits.Add(s.Db, AuditActions.UserUpdated, AuditOutcome.Success, objectType: "user", objectId: id.ToString(),
                metadata: new { changed });
            if (await SaveAsync(s.Db, ct) is { } raced)
            {
                return raced;
            }

            await s.Sessions.InvalidateUserAsync(id);
        }

        return TypedResults.Ok((await FindViewAsync(s.Db, id, s.Http, s.Protector, ct))!);
    }

    private static Task<Results<Ok<AdminUserView>, ProblemHttpResult>> BlockAsync(Guid id, [AsParameters] UsersAdminServices s, CancellationToken ct) =>
        SetStatusAsync(id, UserStatus.Blocked, s, ct);

    private static Task<Results<Ok<AdminUserView>, ProblemHttpResult>> UnblockAsync(Guid id, [AsParameters] UsersAdminServices s, CancellationToken ct) =>
        SetStatusAsync(id, UserStatus.Active, s, ct);

    private static async Task<Results<Ok<AdminUserView>, ProblemHttpResult>> SetStatusAsync(
        Guid id, string status, UsersAdminServices s, CancellationToken ct)
    {
        var user = await s.Db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return NotFound();
        }

        if (await SuperuserGuardAsync(user, s) is { } protectedUser)
        {
            return protectedUser;
        }

        var blocking = status == UserStatus.Blocked;
        if (blocking && id == s.Http.RequireCurrentUser().Id)
        {
            return Conflict(ApiProblems.CannotBlockSelf, "Você não pode bloquear a si mesmo.");
        }

        if (blocking && await IsLastAdminAsync(s.Db, id, ct))
        {
            return Conflict(ApiProblems.LastAdmin, "Não é possível bloquear o último administrador ativo.");
        }

        var previous = user.Status;
        var revoked = 0;
        if (previous != status)
        {
            user.Status = status;
            await s.Db.SaveChangesAsync(ct);
        }

        if (blocking)
        {
            revoked = await s.Sessions.RevokeAllAsync(id, ct);
        }
        else
        {
            await s.Sessions.InvalidateUserAsync(id);
        }

        s.Audits.Add(s.Db, blocking ? AuditActions.UserBlocked : AuditActions.UserUnblocked, AuditOutcome.Success,
            objectType: "user", objectId: id.ToString(), metadata: new { previousStatus = previous, sessionsRevoked = revoked });
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Ok((await FindViewAsync(s.Db, id, s.Http, s.Protector, ct))!);
    }

    private static async Task<Results<Ok<AdminUserView>, ValidationProblem, ProblemHttpResult>> SetRolesAsync(
        Guid id, SetRolesRequest request, [AsParameters] UsersAdminServices s, CancellationToken ct)
    {
        var wanted = (request.Roles ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct().ToList();
        var invalid = new Dictionary<string, string[]>();
        if (!UserValidation.CheckRoleNames(wanted, invalid))
        {
            return ApiProblems.Validation(invalid);
        }

        var roles = await s.Db.Roles.Where(r => wanted.Contains(r.Name)).ToListAsync(ct);
        if (roles.Count != wanted.Count)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["roles"] = [$"Papéis desconhecidos: {string.Join(", ", wanted.Except(roles.Select(r => r.Name)))}."],
            });
        }

        var user = await s.Db.Users.Include(u => u.UserRoles).ThenInclude(ur => ur.Role).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return NotFound();
        }

        if (await SuperuserGuardAsync(user, s) is { } protectedUser)
        {
            return protectedUser;
        }

        var current = user.UserRoles.Select(ur => ur.Role!.Name).ToHashSet();
        var removed = current.Except(wanted).Order().ToList();
        var added = wanted.Except(current).Order().ToList();
        if (removed.Contains(RoleNames.Admin) && await IsLastAdminAsync(s.Db, id, ct))
        {
            return Conflict(ApiProblems.LastAdmin, "Não é possível remover o papel admin do último administrador ativo.");
        }

        if (added.Count + removed.Count > 0)
        {
            foreach (var grant in user.UserRoles.Where(ur => removed.Contains(ur.Role!.Name)).ToList())
            {
                s.Db.UserRoles.Remove(grant);
            }

            foreach (var role in roles.Where(r => added.Contains(r.Name)))
            {
                s.Db.UserRoles.Add(new UserRole { UserId = id, RoleId = role.Id });
            }

            s.Audits.Add(s.Db, AuditActions.UserRolesChanged, AuditOutcome.Success, objectType: "user", objectId: id.ToString(),
                metadata: new { added, removed, roles = wanted.Order().ToList() });
            await s.Db.SaveChangesAsync(ct);
            await s.Sessions.InvalidateUserAsync(id);
        }

        return TypedResults.Ok((await FindViewAsync(s.Db, id, s.Http, s.Protector, ct))!);
    }

    private static async Task<Results<Ok<ResetPasswordResponse>, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(
        Guid id, ResetPasswordRequest? request, [AsParameters] UsersAdminServices s, CancellationToken ct)
    {
        var user = await s.Db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return NotFound();
        }

        if (await SuperuserGuardAsync(user, s) is { } protectedUser)
        {
            return protectedUser;
        }

        var generated = request?.Password is null ? TemporaryPasswords.New() : null;
        var password = request?.Password ?? generated!;
        if (s.Policy.Validate(password, user.Email, CpfDisclosure.Own(user, s.Protector), user.Name) is { Count: > 0 } policyErrors)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["password"] = [.. policyErrors] });
        }

        user.PasswordHash = await s.Hasher.HashAsync(password, ct);
        user.MustChangePassword = true;
        await s.Db.SaveChangesAsync(ct);
        var revoked = await s.Sessions.RevokeAllAsync(id, ct);
        s.Audits.Add(s.Db, AuditActions.UserPasswordReset, AuditOutcome.Success, objectType: "user", objectId: id.ToString(),
            metadata: new { generated = generated is not null, sessionsRevoked = revoked });
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ResetPasswordResponse(generated, revoked));
    }

    private static IQueryable<UserRow> Project(IQueryable<User> users) =>
        users.Select(u => new UserRow(
            u.Id, u.Name, u.Email, u.CpfEncrypted, u.CpfHmac, u.Status, u.IsSuperuser, u.MustChangePassword, u.PasswordHash != null,
            u.UserRoles.Select(ur => ur.Role!.Name).OrderBy(n => n).ToList(),
            u.LastLoginAt, u.CreatedAt, u.UpdatedAt));

    private static async Task<AdminUserView?> FindViewAsync(AgeparDbContext db, Guid id, HttpContext http, CpfProtector protector, CancellationToken ct) =>
        (await Project(db.Users.AsNoTracking().Where(u => u.Id == id)).FirstOrDefaultAsync(ct))?.ToView(http.RequireCurrentUser(), protector);

    /// <summary>A user as read; the CPF is decrypted (or masked) per viewer by <see cref="CpfDisclosure"/>.</summary>
    private sealed record UserRow(
        Guid Id, string Name, string Email, byte[]? CpfEncrypted, byte[]? CpfHmac, string Status, bool IsSuperuser, bool MustChangePassword,
        bool HasPassword, List<string> Roles, DateTimeOffset? LastLoginAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public AdminUserView ToView(CurrentUser viewer, CpfProtector protector) => new(
            Id, Name, Email, CpfDisclosure.For(viewer, CpfEncrypted, CpfHmac, protector), Status, IsSuperuser, MustChangePassword, HasPassword,
            Roles, LastLoginAt, CreatedAt, UpdatedAt);
    }

    /// <summary>
    /// Only a superuser may change, block, unblock, reset or re-role a superuser: anyone else (an admin) gets 403
    /// <c>superuser_protected</c>, audited as an access denial. Otherwise an admin could take over the account that
    /// outranks theirs (a reset hands them its new password).
    /// </summary>
    private static async Task<ProblemHttpResult?> SuperuserGuardAsync(User target, UsersAdminServices s) =>
        target.IsSuperuser && !s.Http.RequireCurrentUser().IsSuperuser
            ? await s.Denials.ForbidAsync(s.Http, ApiProblems.SuperuserProtected, "Apenas um superusuário pode alterar um superusuário.",
                "Esta conta é de superusuário: só outro superusuário pode alterá-la.", new { targetUserId = target.Id, requires = "superuser" })
            : null;

    /// <summary>True when <paramref name="id"/> is the only active user with the admin role or superuser flag.</summary>
    private static async Task<bool> IsLastAdminAsync(AgeparDbContext db, Guid id, CancellationToken ct) =>
        !await db.Users.AnyAsync(u => u.Id != id && u.Status == UserStatus.Active
                                      && (u.IsSuperuser || u.UserRoles.Any(ur => ur.Role!.Name == RoleNames.Admin)), ct);

    private static async Task<ProblemHttpResult?> ConflictAsync(AgeparDbContext db, Guid? self, string? email, byte[]? cpfHmac, CancellationToken ct)
    {
        if (email is not null && await db.Users.AnyAsync(u => u.Id != self && u.Email == email, ct))
        {
            return Conflict(ApiProblems.EmailTaken, "Já existe um usuário com este e-mail.");
        }

        if (cpfHmac is not null && await db.Users.AnyAsync(u => u.Id != self && u.CpfHmac == cpfHmac, ct))
        {
            return Conflict(ApiProblems.CpfTaken, "Já existe um usuário com este CPF.");
        }

        return null;
    }

    /// <summary>Saves; a unique violation on e-mail or CPF (a concurrent insert) becomes 409.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(AgeparDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
        {
            db.ChangeTracker.Clear();
            return pg.ConstraintName == DatabaseObjects.UsersCpfIndex
                ? Conflict(ApiProblems.CpfTaken, "Já existe um usuário com este CPF.")
                : Conflict(ApiProblems.EmailTaken, "Já existe um usuário com este e-mail.");
        }
    }

    private static ProblemHttpResult NotFound() =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, ApiProblems.UserNotFound, "Usuário não encontrado.");

    private static ProblemHttpResult Conflict(string code, string title) =>
        ApiProblems.Problem(StatusCodes.Status409Conflict, code, title);
}
