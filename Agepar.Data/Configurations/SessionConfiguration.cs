using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agepar.Data.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions", t =>
        {
            t.HasCheckConstraint("ck_sessions_token_hash", "octet_length(token_hash) = 32");
            t.HasCheckConstraint("ck_sessions_csrf_token_hash", "octet_length(csrf_token_hash) = 32");
        });

        builder.Property(s => s.Id).IsUuidKey();
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.LastSeenAt).HasDefaultValueSql("now()");

        builder.HasOne(s => s.User).WithMany(u => u.Sessions)
            .HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(s => s.TokenHash).IsUnique().HasDatabaseName(DatabaseObjects.SessionsTokenHashIndex);
        // Also serves the FK (user deletion cascades) since user_id leads.
        builder.HasIndex(s => s.UserId).HasDatabaseName("ix_sessions_user_id");
        builder.HasIndex(s => new { s.UserId, s.ExpiresAt })
            .HasFilter("revoked_at IS NULL")
            .HasDatabaseName("ix_sessions_live_per_user");
        // Retention (Maintenance:SessionRetention) deletes by expiry.
        builder.HasIndex(s => s.ExpiresAt).HasDatabaseName("ix_sessions_expires_at");
    }
}
