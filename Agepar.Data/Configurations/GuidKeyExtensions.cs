using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.ValueGeneration;

namespace Agepar.Data.Configurations;

internal static class GuidKeyExtensions
{
    /// <summary>
    /// Column default <c>gen_random_uuid()</c> for rows inserted with SQL; EF assigns a time-ordered UUIDv7 as soon as
    /// the entity is added, so the id is known before <c>SaveChanges</c> (e.g. for an audit row in the same save)
    /// and B-tree inserts stay append-mostly.
    /// </summary>
    public static PropertyBuilder<Guid> IsUuidKey(this PropertyBuilder<Guid> property) =>
        property.HasDefaultValueSql("gen_random_uuid()").HasValueGenerator<NpgsqlSequentialGuidValueGenerator>();
}
