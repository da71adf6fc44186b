using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agepar.Data.Configurations;

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    private static readonly DateTimeOffset SeededAt = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public void Configure(EntityTypeBuilder<Role> builder)
    {
        builder.ToTable("roles", t => t.HasCheckConstraint("ck_roles_name", "name ~ '^[a-z0-9_.:-]{2,100}$'"));

        builder.Property(r => r.Id).IsUuidKey();
        builder.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
        builder.HasIndex(r => r.Name).IsUnique().HasDatabaseName(DatabaseObjects.RolesNameIndex);

        builder.HasData(
            Seed(1, RoleNames.Admin, "Administração do portal: usuários, papéis e todas as automações"),
            Seed(2, RoleNames.Coordenador, "Coordenação (papel legado, sem atribuições padrão)"),
            Seed(3, RoleNames.Rh, "Recursos Humanos: usuários, férias e controle de ponto"),
            Seed(4, RoleNames.Daf, "Diretoria Administrativo-Financeira"),
            Seed(5, RoleNames.Dp, "Diretoria da Presidência"),
            Seed(6, RoleNames.Dfq, "Diretoria de Fiscalização e Qualidade"),
            Seed(7, RoleNames.Dre, "Diretoria de Regulação Econômica"),
            Seed(8, RoleNames.Dnr, "Diretoria de Normas e Regulação"),
            Seed(9, RoleNames.Compras, "Compras: automações DFD e ETP"),
            Seed(10, RoleNames.Ferias, "Solicitação de férias"),
            Seed(11, RoleNames.User, "Usuário do portal: acesso básico"),
            Seed(12, RoleNames.Auditor, "Auditoria: leitura de auditorias e submissões"),
            Seed(13, RoleNames.AutomationsForm2Json, "Automação form2json (demonstração)"));
    }

    /// <summary>Seeded roles get fixed ids (<c>a9e0a000-0000-4000-8000-0000000000NN</c>) so later migrations can refer to them.</summary>
    private static Role Seed(int n, string name, string description) => new()
    {
        Id = new Guid($"a9e0a000-0000-4000-8000-{n:D12}"),
        Name = name,
        Description = description,
        CreatedAt = SeededAt,
    };
}
