using Agepar.Data.Audits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agepar.Data.Configurations;

/// <summary>
/// Maps the partitioned <c>audits</c> table. EF cannot create partitioned tables, so the table, its partitions,
/// indexes, triggers and grants are created with SQL in the InitialSchema migration; EF only reads and inserts.
/// </summary>
internal sealed class AuditConfiguration : IEntityTypeConfiguration<Audit>
{
    public void Configure(EntityTypeBuilder<Audit> builder)
    {
        builder.ToTable("audits", t => t.ExcludeFromMigrations());

        // The database key is (id, occurred_at) because partitioned keys must include the partition column;
        // id alone is unique (one identity sequence), which is all EF needs.
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.OccurredAt).HasDefaultValueSql("now()");
        builder.Property(a => a.Metadata).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
    }
}
