using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agepar.Data.Configurations;

internal sealed class LoginAttemptConfiguration : IEntityTypeConfiguration<LoginAttempt>
{
    public void Configure(EntityTypeBuilder<LoginAttempt> builder)
    {
        builder.ToTable("login_attempts", t => t.HasCheckConstraint(
            "ck_login_attempts_reason",
            "reason IN ('ok', 'not_found', 'bad_credentials', 'rate_limited', 'status_blocked', 'status_pending')"));

        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.At).HasDefaultValueSql("now()");

        builder.HasOne(a => a.User).WithMany()
            .HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.SetNull);

        // Rate-limit lookups: recent attempts per identifier and per IP; retention deletes by time.
        builder.HasIndex(a => new { a.Identifier, a.At }).IsDescending(false, true)
            .HasDatabaseName("ix_login_attempts_identifier_at");
        builder.HasIndex(a => new { a.Ip, a.At }).IsDescending(false, true)
            .HasDatabaseName("ix_login_attempts_ip_at");
        builder.HasIndex(a => a.At).HasDatabaseName("ix_login_attempts_at");
    }
}
