namespace Agepar.Data.Migrations;

// The PostgreSQL DDL of InitialSchema that EF cannot express. Frozen with the migration: never edit it once
// applied anywhere; a later change goes into a new migration.
public partial class InitialSchema
{
    /// <summary>pg_stat_statements needs a superuser; the owner role gets a warning with a hint instead of a failed migration.</summary>
    private const string CreatePgStatStatements = """
        DO $pss$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') THEN
                RETURN;
            END IF;
            BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
            EXCEPTION
                WHEN insufficient_privilege THEN
                    RAISE WARNING 'pg_stat_statements not created: %', SQLERRM
                        USING HINT = 'ask a superuser to run CREATE EXTENSION pg_stat_statements';
                WHEN undefined_file THEN
                    RAISE WARNING 'pg_stat_statements not created: %', SQLERRM
                        USING HINT = 'install the PostgreSQL contrib modules, then ask a superuser to run CREATE EXTENSION pg_stat_statements';
            END;
        END
        $pss$;
        """;

    private const string CreateUpdatedAtTriggers = """
        CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END
        $fn$;
        REVOKE ALL ON FUNCTION set_updated_at() FROM PUBLIC;

        CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON users
            FOR EACH ROW EXECUTE FUNCTION set_updated_at();
        CREATE TRIGGER trg_submissions_updated_at BEFORE UPDATE ON submissions
            FOR EACH ROW EXECUTE FUNCTION set_updated_at();
        """;

    /// <summary>Business rule of the DFD automation: one live DFD per protocolo (an expression index EF cannot model).</summary>
    private const string CreateDfdProtocoloIndex = """
        CREATE UNIQUE INDEX ux_submissions_dfd_protocolo ON submissions (kind, (payload ->> 'protocolo'))
            WHERE kind = 'dfd' AND status <> 'cancelled' AND payload ? 'protocolo';
        """;

    /// <summary>The partitioned, append-only audit table with its default partition, indexes and guard triggers.</summary>
    private const string CreateAudits = """
        CREATE TABLE audits (
            id            bigint GENERATED ALWAYS AS IDENTITY,
            occurred_at   timestamptz NOT NULL DEFAULT now(),
            actor_user_id uuid,
            actor_name    text,
            actor_email   text,
            actor_cpf     character(11),
            action        text NOT NULL,
            kind          text,
            object_type   text,
            object_id     text,
            outcome       text NOT NULL,
            ip            inet,
            user_agent    text,
            trace_id      text,
            metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
            CONSTRAINT pk_audits PRIMARY KEY (id, occurred_at),
            CONSTRAINT ck_audits_action CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
            CONSTRAINT ck_audits_outcome CHECK (outcome IN ('success', 'failure', 'denied'))
        ) PARTITION BY RANGE (occurred_at);

        CREATE TABLE audits_default PARTITION OF audits DEFAULT;

        CREATE INDEX ix_audits_occurred_at ON audits (occurred_at DESC, id DESC);
        CREATE INDEX ix_audits_kind_occurred_at ON audits (kind, occurred_at DESC);
        CREATE INDEX ix_audits_action_occurred_at ON audits (action, occurred_at DESC);
        CREATE INDEX ix_audits_actor_occurred_at ON audits (actor_user_id, occurred_at DESC);
        CREATE INDEX ix_audits_object ON audits (object_type, object_id);

        -- Append-only for every role, the owner included. Only code that first runs
        -- SET LOCAL agepar.audit_maintenance = 'on' gets through, and only if it also holds the
        -- UPDATE/DELETE/TRUNCATE privilege, which only the table owner has (ensure_audit_partitions moves
        -- rows out of audits_default that way). Anyone can set the variable; privileges are the real gate.
        CREATE OR REPLACE FUNCTION audits_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        BEGIN
            IF coalesce(current_setting('agepar.audit_maintenance', true), '') = 'on' THEN
                IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audits are append-only (% on %)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'audit rows can only be inserted; retention drops whole partitions with drop_audit_partitions_older_than()';
        END
        $fn$;
        REVOKE ALL ON FUNCTION audits_append_only() FROM PUBLIC;

        -- A row trigger on the partitioned parent is cloned onto every partition, present and future.
        CREATE TRIGGER audits_append_only BEFORE UPDATE OR DELETE ON audits
            FOR EACH ROW EXECUTE FUNCTION audits_append_only();
        -- TRUNCATE triggers are per table: the parent, the default partition, and each monthly partition
        -- (ensure_audit_partitions adds it).
        CREATE TRIGGER audits_no_truncate BEFORE TRUNCATE ON audits
            FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();
        CREATE TRIGGER audits_no_truncate BEFORE TRUNCATE ON audits_default
            FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();

        REVOKE UPDATE, DELETE, TRUNCATE ON audits FROM PUBLIC;
        REVOKE ALL ON audits_default FROM PUBLIC;
        """;

    /// <summary>Partition maintenance: monthly partitions (UTC months) ahead of time, and retention by whole partitions.</summary>
    private const string CreateAuditPartitionFunctions = """
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

        CREATE OR REPLACE FUNCTION drop_audit_partitions_older_than(p_cutoff date) RETURNS SETOF text
        LANGUAGE plpgsql AS $fn$
        DECLARE
            v_cutoff timestamptz;
            r        record;
        BEGIN
            IF p_cutoff IS NULL THEN
                RAISE EXCEPTION 'p_cutoff is required' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            v_cutoff := p_cutoff::timestamp AT TIME ZONE 'UTC';
            FOR r IN
                SELECT b.part, b.relname, b.upper_bound
                FROM (
                    SELECT c.oid::regclass AS part, c.relname::text AS relname,
                           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS upper_bound
                    FROM pg_inherits i
                    JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'public.audits'::regclass
                ) b
                WHERE b.upper_bound IS NOT NULL AND b.upper_bound <= v_cutoff
                ORDER BY b.upper_bound
            LOOP
                -- Only whole partitions go; audits_default (no bounds) is never touched.
                EXECUTE format('ALTER TABLE public.audits DETACH PARTITION %s', r.part);
                EXECUTE format('DROP TABLE %s', r.part);
                RETURN NEXT r.relname;
            END LOOP;
        END
        $fn$;

        REVOKE ALL ON FUNCTION ensure_audit_partitions(integer) FROM PUBLIC;
        REVOKE ALL ON FUNCTION drop_audit_partitions_older_than(date) FROM PUBLIC;
        """;

    /// <summary>Creates this month's and the next three months' partitions (PERFORM: valid both as a plain command and inside an idempotent script's DO block).</summary>
    private const string EnsureInitialAuditPartitions = """
        DO $ensure$
        BEGIN
            PERFORM ensure_audit_partitions(3);
        END
        $ensure$;
        """;

    /// <summary>
    /// Grants for the application role, when provisioning created it. The migration also runs where it does not
    /// exist (a developer database, a test container), so nothing here may depend on it. Nothing goes to PUBLIC.
    /// </summary>
    private const string GrantAppRole = """
        DO $grants$
        DECLARE
            r record;
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agepar_user') THEN
                RAISE NOTICE 'role agepar_user does not exist: grants skipped';
                RETURN;
            END IF;
            GRANT USAGE ON SCHEMA public TO agepar_user;
            GRANT SELECT, INSERT, UPDATE, DELETE
                ON users, roles, user_roles, sessions, login_attempts, submissions, submission_files
                TO agepar_user;
            GRANT SELECT, INSERT ON audits TO agepar_user;
            REVOKE UPDATE, DELETE, TRUNCATE ON audits FROM agepar_user;
            FOR r IN SELECT inhrelid::regclass AS part FROM pg_inherits WHERE inhparent = 'public.audits'::regclass LOOP
                EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM agepar_user', r.part);
                EXECUTE format('GRANT SELECT, INSERT ON %s TO agepar_user', r.part);
            END LOOP;
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO agepar_user;
            GRANT SELECT ON __ef_migrations_history TO agepar_user;
        END
        $grants$;
        """;

    private const string DropAudits = """
        DROP FUNCTION IF EXISTS drop_audit_partitions_older_than(date);
        DROP FUNCTION IF EXISTS ensure_audit_partitions(integer);
        DROP TABLE IF EXISTS audits CASCADE;
        DROP FUNCTION IF EXISTS audits_append_only();
        """;

    private const string DropUpdatedAtFunction = """
        DROP FUNCTION IF EXISTS set_updated_at();
        """;
}
