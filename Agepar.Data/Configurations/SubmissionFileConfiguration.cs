using Agepar.Data.Submissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agepar.Data.Configurations;

internal sealed class SubmissionFileConfiguration : IEntityTypeConfiguration<SubmissionFile>
{
    public void Configure(EntityTypeBuilder<SubmissionFile> builder)
    {
        builder.ToTable("submission_files", t =>
        {
            t.HasCheckConstraint("ck_submission_files_size_bytes", "size_bytes >= 0 AND size_bytes = octet_length(content)");
            t.HasCheckConstraint("ck_submission_files_sha256", "octet_length(sha256) = 32");
        });

        builder.Property(f => f.Id).IsUuidKey();
        builder.Property(f => f.CreatedAt).HasDefaultValueSql("now()");

        builder.HasOne(f => f.Submission).WithMany(s => s.Files)
            .HasForeignKey(f => f.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.SubmissionId).HasDatabaseName("ix_submission_files_submission_id");
    }
}
