using Agepar.Data.Submissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agepar.Data.Configurations;

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> builder)
    {
        builder.ToTable("submissions", t =>
        {
            t.HasCheckConstraint("ck_submissions_status", "status IN ('queued', 'running', 'done', 'error', 'cancelled')");
            t.HasCheckConstraint("ck_submissions_attempts", "attempts >= 0 AND max_attempts >= 1");
            t.HasCheckConstraint("ck_submissions_actor_cpf_encrypted", "octet_length(actor_cpf_encrypted) = 44 AND octet_length(actor_cpf_hmac) = 32");
            t.HasCheckConstraint("ck_submissions_actor_cpf_pair", "(actor_cpf_encrypted IS NULL) = (actor_cpf_hmac IS NULL)");
        });

        builder.Property(s => s.Id).IsUuidKey();
        builder.Property(s => s.Payload).HasColumnType("jsonb");
        builder.Property(s => s.Result).HasColumnType("jsonb");
        builder.Property(s => s.Status).HasDefaultValue(SubmissionStatus.Queued);
        builder.Property(s => s.Attempts).HasDefaultValue(0);
        builder.Property(s => s.MaxAttempts).HasDefaultValue(3);
        builder.Property(s => s.RunAfter).HasDefaultValueSql("now()");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.UpdatedAt).HasDefaultValueSql("now()").ValueGeneratedOnAddOrUpdate();

        builder.HasOne(s => s.ActorUser).WithMany()
            .HasForeignKey(s => s.ActorUserId).OnDelete(DeleteBehavior.Restrict);

        builder.HasIndex(s => new { s.ActorUserId, s.Kind, s.IdempotencyKey })
            .IsUnique()
            .HasFilter("idempotency_key IS NOT NULL")
            .HasDatabaseName(DatabaseObjects.SubmissionsIdempotencyIndex);
        // "My submissions", keyset-paged; also serves the actor FK.
        builder.HasIndex(s => new { s.ActorUserId, s.CreatedAt, s.Id })
            .IsDescending(false, true, true)
            .HasDatabaseName("ix_submissions_actor_created");
        // Control panel: one kind, optionally one status, newest first.
        builder.HasIndex(s => new { s.Kind, s.Status, s.CreatedAt })
            .IsDescending(false, false, true)
            .HasDatabaseName("ix_submissions_kind_status_created");
        // Queue claim: ... WHERE status = 'queued' AND run_after <= now() ORDER BY run_after, created_at FOR UPDATE SKIP LOCKED.
        builder.HasIndex(s => new { s.RunAfter, s.CreatedAt })
            .HasFilter("status = 'queued'")
            .HasDatabaseName("ix_submissions_queue");
        // Lease reaper: running rows whose lease expired.
        builder.HasIndex(s => s.LeaseUntil)
            .HasFilter("status = 'running'")
            .HasDatabaseName("ix_submissions_lease");
        builder.HasIndex(s => s.Payload)
            .HasMethod("gin")
            .HasOperators("jsonb_path_ops")
            .HasDatabaseName("ix_submissions_payload");
        // ux_submissions_dfd_protocolo (an expression index) is created with SQL in the InitialSchema migration.
    }
}
