using Agepar.Data.Audits;
using Agepar.Data.Auth;
using Agepar.Data.Submissions;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Data;

/// <summary>The Agepar database: submissions, audits and auth data. Migrations live in <c>Migrations/</c>.</summary>
public sealed class AgeparDbContext(DbContextOptions<AgeparDbContext> options) : DbContext(options)
{
    /// <summary>The Aspire connection name (and database resource name) of the application database.</summary>
    public const string ConnectionName = "agepar";

    /// <summary>Portal users (<c>users</c>).</summary>
    public DbSet<User> Users => Set<User>();

    /// <summary>Roles (<c>roles</c>).</summary>
    public DbSet<Role> Roles => Set<Role>();

    /// <summary>Role grants (<c>user_roles</c>).</summary>
    public DbSet<UserRole> UserRoles => Set<UserRole>();

    /// <summary>Server-side sessions (<c>sessions</c>).</summary>
    public DbSet<Session> Sessions => Set<Session>();

    /// <summary>Login attempts (<c>login_attempts</c>).</summary>
    public DbSet<LoginAttempt> LoginAttempts => Set<LoginAttempt>();

    /// <summary>Automation submissions and their queue state (<c>submissions</c>).</summary>
    public DbSet<Submission> Submissions => Set<Submission>();

    /// <summary>Generated documents (<c>submission_files</c>).</summary>
    public DbSet<SubmissionFile> SubmissionFiles => Set<SubmissionFile>();

    /// <summary>The append-only audit log (<c>audits</c>, partitioned): add rows, never update or delete them.</summary>
    public DbSet<Audit> Audits => Set<Audit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder
            .HasPostgresExtension("pgcrypto")
            .HasPostgresExtension("citext");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AgeparDbContext).Assembly);
    }
}
