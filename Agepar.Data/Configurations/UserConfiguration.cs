using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agepar.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users", t =>
        {
            t.HasCheckConstraint("ck_users_cpf_encrypted", "octet_length(cpf_encrypted) = 44 AND octet_length(cpf_hmac) = 32");
            t.HasCheckConstraint("ck_users_cpf_pair", "(cpf_encrypted IS NULL) = (cpf_hmac IS NULL)");
            t.HasCheckConstraint("ck_users_status", "status IN ('active', 'blocked', 'pending')");
        });

        builder.Property(u => u.Id).IsUuidKey();
        builder.Property(u => u.Email).HasColumnType("citext");
        builder.Property(u => u.Status).HasDefaultValue(UserStatus.Active);
        builder.Property(u => u.IsSuperuser).HasDefaultValue(false);
        builder.Property(u => u.MustChangePassword).HasDefaultValue(false);
        builder.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(u => u.UpdatedAt).HasDefaultValueSql("now()").ValueGeneratedOnAddOrUpdate();

        builder.HasIndex(u => u.Email).IsUnique().HasDatabaseName(DatabaseObjects.UsersEmailIndex);
        builder.HasIndex(u => u.CpfHmac).IsUnique().HasDatabaseName(DatabaseObjects.UsersCpfIndex);
    }
}
