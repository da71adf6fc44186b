using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Agepar.Data.Migrations
{
    /// <summary>
    /// Pins the search path of the partition functions to <c>pg_catalog, public, pg_temp</c> (temp last) and
    /// schema-qualifies their catalog references. Without <c>pg_temp</c> in the list PostgreSQL searches the caller's
    /// temporary schema <em>first</em> for tables, so a caller of the SECURITY DEFINER <c>maintain_audit_partitions</c>
    /// with the TEMP privilege could shadow <c>pg_class</c> and have new audit partitions handed to a role of its choice.
    /// </summary>
    public partial class SecurityDefinerSearchPath : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(QualifiedEnsureAuditPartitions);
            migrationBuilder.Sql("""
                ALTER FUNCTION maintain_audit_partitions(integer) SET search_path = pg_catalog, public, pg_temp;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PreviousEnsureAuditPartitions);
            migrationBuilder.Sql("""
                ALTER FUNCTION maintain_audit_partitions(integer) SET search_path = pg_catalog, public;
                """);
        }

        // Frozen with the migration: never edit once applied anywhere.
        private const string QualifiedEnsureAuditPartitions = """
        CREATE OR REPLACE FUNCTION ensure_audit_partitions(p_months_ahead integer DEFAULT 3) RETURNS SETOF text
        LANGUAGE plpgsql
        SET search_path = pg_catalog, public, pg_temp
        AS $fn$
        DECLARE
            v_month   timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
            v_from    timestamp;
            v_to      timestamp;
            v_lo      text;
            v_hi      text;
            v_name    text;
            v_owner   name;
            v_prev    text;
            v_locked  boolean := false;
            v_app     boolean := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'agepar_user');
        BEGIN
            IF p_months_ahead IS NULL OR p_months_ahead < 0 OR p_months_ahead > 120 THEN
                RAISE EXCEPTION 'p_months_ahead must be between 0 and 120 (got %)', p_months_ahead
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            SELECT pg_catalog.pg_get_userbyid(relowner) INTO v_owner FROM pg_catalog.pg_class WHERE oid = 'public.audits'::regclass;

            FOR i IN 0 .. p_months_ahead LOOP
                -- Month arithmetic on UTC timestamps, so the session TimeZone cannot shift the bounds.
                v_from := v_month + make_interval(months => i);
                v_to   := v_from + interval '1 month';
                v_name := 'audits_y' || to_char(v_from, 'YYYY') || 'm' || to_char(v_from, 'MM');
                CONTINUE WHEN pg_catalog.to_regclass(format('public.%I', v_name)) IS NOT NULL;

                IF NOT v_locked THEN
                    -- Blocks concurrent writers (and a concurrent run of this function) until commit.
                    LOCK TABLE public.audits IN SHARE ROW EXCLUSIVE MODE;
                    v_locked := true;
                    CONTINUE WHEN pg_catalog.to_regclass(format('public.%I', v_name)) IS NOT NULL;
                END IF;
                v_lo := to_char(v_from, 'YYYY-MM-DD') || ' 00:00:00+00';
                v_hi := to_char(v_to, 'YYYY-MM-DD') || ' 00:00:00+00';

                IF EXISTS (SELECT 1 FROM public.audits_default
                           WHERE occurred_at >= v_lo::timestamptz AND occurred_at < v_hi::timestamptz) THEN
                    -- Rows for this month already sit in the default partition, so a plain
                    -- PARTITION OF would fail. Build the partition standalone, move the rows, attach it.
                    v_prev := pg_catalog.current_setting('agepar.audit_maintenance', true);
                    PERFORM pg_catalog.set_config('agepar.audit_maintenance', 'on', true);
                    EXECUTE format('CREATE TABLE public.%I (LIKE public.audits INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', v_name);
                    EXECUTE format('WITH moved AS (DELETE FROM public.audits_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) '
                                   'INSERT INTO public.%I SELECT * FROM moved', v_name)
                        USING v_lo::timestamptz, v_hi::timestamptz;
                    -- A matching CHECK lets ATTACH skip its validation scan.
                    EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                                   v_name, v_name || '_bounds', v_lo, v_hi);
                    EXECUTE format('ALTER TABLE public.audits ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                                   v_name, v_lo, v_hi);
                    EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', v_name, v_name || '_bounds');
                    PERFORM pg_catalog.set_config('agepar.audit_maintenance', coalesce(v_prev, ''), true);
                ELSE
                    EXECUTE format('CREATE TABLE public.%I PARTITION OF public.audits FOR VALUES FROM (%L) TO (%L)',
                                   v_name, v_lo, v_hi);
                END IF;

                IF current_user <> v_owner THEN
                    EXECUTE format('ALTER TABLE public.%I OWNER TO %I', v_name, v_owner);
                END IF;
                EXECUTE format('CREATE TRIGGER audits_no_truncate BEFORE TRUNCATE ON public.%I '
                               'FOR EACH STATEMENT EXECUTE FUNCTION public.audits_append_only()', v_name);
                EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC', v_name);
                IF v_app THEN
                    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM agepar_user', v_name);
                    EXECUTE format('GRANT SELECT, INSERT ON public.%I TO agepar_user', v_name);
                END IF;
                RETURN NEXT v_name;
            END LOOP;
        END
        $fn$;
        REVOKE ALL ON FUNCTION ensure_audit_partitions(integer) FROM PUBLIC;
        """;

        private const string PreviousEnsureAuditPartitions = """
        CREATE OR REPLACE FUNCTION ensure_audit_partitions(p_months_ahead integer DEFAULT 3) RETURNS SETOF text
        LANGUAGE plpgsql AS $fn$
        DECLARE
            v_month   timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
            v_from    timestamp;
            v_to      timestamp;
            v_lo      text;
            v_hi      text;
            v_name    text;
            v_owner   name;
            v_prev    text;
            v_locked  boolean := false;
            v_app     boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agepar_user');
        BEGIN
            IF p_months_ahead IS NULL OR p_months_ahead < 0 OR p_months_ahead > 120 THEN
                RAISE EXCEPTION 'p_months_ahead must be between 0 and 120 (got %)', p_months_ahead
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            SELECT pg_get_userbyid(relowner) INTO v_owner FROM pg_class WHERE oid = 'public.audits'::regclass;

            FOR i IN 0 .. p_months_ahead LOOP
                -- Month arithmetic on UTC timestamps, so the session TimeZone cannot shift the bounds.
                v_from := v_month + make_interval(months => i);
                v_to   := v_from + interval '1 month';
                v_name := 'audits_y' || to_char(v_from, 'YYYY') || 'm' || to_char(v_from, 'MM');
                CONTINUE WHEN to_regclass(format('public.%I', v_name)) IS NOT NULL;

                IF NOT v_locked THEN
                    -- Blocks concurrent writers (and a concurrent run of this function) until commit.
                    LOCK TABLE public.audits IN SHARE ROW EXCLUSIVE MODE;
                    v_locked := true;
                    CONTINUE WHEN to_regclass(format('public.%I', v_name)) IS NOT NULL;
                END IF;
                v_lo := to_char(v_from, 'YYYY-MM-DD') || ' 00:00:00+00';
                v_hi := to_char(v_to, 'YYYY-MM-DD') || ' 00:00:00+00';

                IF EXISTS (SELECT 1 FROM public.audits_default
                           WHERE occurred_at >= v_lo::timestamptz AND occurred_at < v_hi::timestamptz) THEN
                    -- Rows for this month already sit in the default partition, so a plain
                    -- PARTITION OF would fail. Build the partition standalone, move the rows, attach it.
                    v_prev := current_setting('agepar.audit_maintenance', true);
                    PERFORM set_config('agepar.audit_maintenance', 'on', true);
                    EXECUTE format('CREATE TABLE public.%I (LIKE public.audits INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', v_name);
                    EXECUTE format('WITH moved AS (DELETE FROM public.audits_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) '
                                   'INSERT INTO public.%I SELECT * FROM moved', v_name)
                        USING v_lo::timestamptz, v_hi::timestamptz;
                    -- A matching CHECK lets ATTACH skip its validation scan.
                    EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                                   v_name, v_name || '_bounds', v_lo, v_hi);
                    EXECUTE format('ALTER TABLE public.audits ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                                   v_name, v_lo, v_hi);
                    EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', v_name, v_name || '_bounds');
                    PERFORM set_config('agepar.audit_maintenance', coalesce(v_prev, ''), true);
                ELSE
                    EXECUTE format('CREATE TABLE public.%I PARTITION OF public.audits FOR VALUES FROM (%L) TO (%L)',
                                   v_name, v_lo, v_hi);
                END IF;

                IF current_user <> v_owner THEN
                    EXECUTE format('ALTER TABLE public.%I OWNER TO %I', v_name, v_owner);
                END IF;
                EXECUTE format('CREATE TRIGGER audits_no_truncate BEFORE TRUNCATE ON public.%I '
                               'FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only()', v_name);
                EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC', v_name);
                IF v_app THEN
                    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM agepar_user', v_name);
                    EXECUTE format('GRANT SELECT, INSERT ON public.%I TO agepar_user', v_name);
                END IF;
                RETURN NEXT v_name;
            END LOOP;
        END
        $fn$;
        REVOKE ALL ON FUNCTION ensure_audit_partitions(integer) FROM PUBLIC;
        """;
    }
}
