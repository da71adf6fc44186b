using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// Indexes the control panel needs (measured in bench/RESULTS.md): trigram search over the text the panel's
    /// free-text filter reads, and the unfiltered / by-status submission listings in keyset order. The trigram
    /// expressions must stay identical to <c>AuditQueries.SearchText</c> and <c>SubmissionQueries.SearchText</c>.
    /// </summary>
    public partial class PanelSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // pg_trgm is a trusted extension: the database owner (agepar_admin) may create it.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");

            // Partitioned table: CONCURRENTLY is not available; the index is built on each partition.
            migrationBuilder.Sql("""
                CREATE INDEX IF NOT EXISTS ix_audits_search_trgm ON audits USING gin
                    ((coalesce(actor_name, '') || ' ' || coalesce(actor_email, '') || ' ' || coalesce(object_id, '') || ' ' || metadata::text) gin_trgm_ops);
                """);

            // Plain CREATE INDEX: the idempotent script (Plan mode) wraps statements in DO blocks, where CONCURRENTLY is
            // not allowed. On a large production table a DBA may build these first with CREATE INDEX CONCURRENTLY and
            // the same names; IF NOT EXISTS then makes this step a no-op.
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_submissions_created ON submissions (created_at DESC, id DESC);");
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_submissions_status_created ON submissions (status, created_at DESC, id DESC);");
            migrationBuilder.Sql("""
                CREATE INDEX IF NOT EXISTS ix_submissions_search_trgm ON submissions USING gin
                    ((coalesce(actor_name, '') || ' ' || coalesce(actor_email, '') || ' ' || coalesce(error, '') || ' ' || payload::text) gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_submissions_search_trgm;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_submissions_status_created;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_submissions_created;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audits_search_trgm;");
        }
    }
}
