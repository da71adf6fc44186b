using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// Tamper-evident audits: <c>audit_seals</c> (one hash link per audit row, written by the BFF's single sealer),
    /// <c>audit_partition_drops</c> (what retention dropped, so the chain stays verifiable across it) and
    /// <c>audit_chain_start</c> (the audit ids that existed before the chain started). All three are append-only like
    /// <c>audits</c>; the application role may only insert seals. <c>drop_audit_partitions_older_than</c> now records
    /// each drop. No EF model change: the BFF reads and writes these tables with SQL (docs/schema.md, "Audit chain").
    /// </summary>
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CreateChainTables);
            migrationBuilder.Sql(RecordingRetention);
            migrationBuilder.Sql(GrantAppRole);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(RestoreRetention);
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS audit_chain_start;
                DROP TABLE IF EXISTS audit_partition_drops;
                DROP TABLE IF EXISTS audit_seals;
                """);
        }
    }
}
