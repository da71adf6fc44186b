namespace Agepar.Data.Migrations;

// The SQL of AuditChain. Frozen with the migration: never edit it once applied anywhere.
public partial class AuditChain
{
    private const string CreateChainTables = """
        CREATE TABLE audit_seals (
            seq         bigint      NOT NULL,
            audit_id    bigint      NOT NULL,
            occurred_at timestamptz NOT NULL,
            sealed_at   timestamptz NOT NULL,
            link        bytea       NOT NULL,
            CONSTRAINT pk_audit_seals PRIMARY KEY (seq),
            CONSTRAINT ck_audit_seals_seq CHECK (seq >= 1),
            CONSTRAINT ck_audit_seals_link CHECK (octet_length(link) = 32)
        );
        -- One seal per audit row; also the anti-join of the sealer and the verifier.
        CREATE UNIQUE INDEX ux_audit_seals_audit_id ON audit_seals (audit_id);
        -- since/until scoping of the verification.
        CREATE INDEX ix_audit_seals_occurred_at ON audit_seals (occurred_at);

        CREATE TABLE audit_partition_drops (
            id             bigint GENERATED ALWAYS AS IDENTITY,
            partition_name text        NOT NULL,
            range_from     timestamptz NOT NULL,
            range_to       timestamptz NOT NULL,
            row_count      bigint      NOT NULL,
            sealed_count   bigint      NOT NULL,
            last_seq       bigint,
            last_link      bytea,
            dropped_at     timestamptz NOT NULL DEFAULT now(),
            dropped_by     text        NOT NULL DEFAULT current_user,
            CONSTRAINT pk_audit_partition_drops PRIMARY KEY (id),
            CONSTRAINT ck_audit_partition_drops_range CHECK (range_from < range_to)
        );

        -- Audit ids up to max_audit_id existed before the chain started: the sealer seals them as they are (no
        -- back-dating check, they are history), every later id must be sealed within AuditChain:MaxSealLag.
        CREATE TABLE audit_chain_start (
            started_at   timestamptz NOT NULL DEFAULT now(),
            max_audit_id bigint      NOT NULL,
            only_row     boolean     NOT NULL DEFAULT true,
            CONSTRAINT pk_audit_chain_start PRIMARY KEY (only_row),
            CONSTRAINT ck_audit_chain_start_only_row CHECK (only_row)
        );
        INSERT INTO audit_chain_start (max_audit_id) SELECT coalesce(max(id), 0) FROM audits;

        -- The same guard as audits: no UPDATE, DELETE or TRUNCATE for anyone without the maintenance setting
        -- (and the privilege, which only the owner has).
        CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
            FOR EACH ROW EXECUTE FUNCTION audits_append_only();
        CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
            FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();
        CREATE TRIGGER audit_partition_drops_append_only BEFORE UPDATE OR DELETE ON audit_partition_drops
            FOR EACH ROW EXECUTE FUNCTION audits_append_only();
        CREATE TRIGGER audit_partition_drops_no_truncate BEFORE TRUNCATE ON audit_partition_drops
            FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();
        CREATE TRIGGER audit_chain_start_append_only BEFORE UPDATE OR DELETE ON audit_chain_start
            FOR EACH ROW EXECUTE FUNCTION audits_append_only();
        CREATE TRIGGER audit_chain_start_no_truncate BEFORE TRUNCATE ON audit_chain_start
            FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only();

        REVOKE ALL ON audit_seals, audit_partition_drops, audit_chain_start FROM PUBLIC;
        """;

    /// <summary>Retention as before, but each dropped partition is first recorded (range, rows, seals, last link).</summary>
    private const string RecordingRetention = """
        CREATE OR REPLACE FUNCTION drop_audit_partitions_older_than(p_cutoff date) RETURNS SETOF text
        LANGUAGE plpgsql
        SET search_path = pg_catalog, public, pg_temp
        AS $fn$
        DECLARE
            v_cutoff   timestamptz;
            v_rows     bigint;
            v_sealed   bigint;
            v_last_seq bigint;
            r          record;
        BEGIN
            IF p_cutoff IS NULL THEN
                RAISE EXCEPTION 'p_cutoff is required' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            v_cutoff := p_cutoff::timestamp AT TIME ZONE 'UTC';
            FOR r IN
                SELECT b.part, b.relname, b.lower_bound, b.upper_bound
                FROM (
                    SELECT c.oid::regclass AS part, c.relname::text AS relname,
                           (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz AS lower_bound,
                           (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS upper_bound
                    FROM pg_catalog.pg_inherits i
                    JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'public.audits'::regclass
                ) b
                WHERE b.upper_bound IS NOT NULL AND b.upper_bound <= v_cutoff
                ORDER BY b.upper_bound
            LOOP
                -- What goes, for the chain verification: the rows, how many of them were sealed, and the last link
                -- among them. The verifier accepts missing rows of this range only as many as were sealed here.
                EXECUTE format('SELECT count(*) FROM %s', r.part) INTO v_rows;
                EXECUTE format('SELECT count(*), max(s.seq) FROM public.audit_seals s JOIN %s a ON a.id = s.audit_id', r.part)
                    INTO v_sealed, v_last_seq;
                INSERT INTO public.audit_partition_drops (partition_name, range_from, range_to, row_count, sealed_count, last_seq, last_link)
                SELECT r.relname, r.lower_bound, r.upper_bound, v_rows, v_sealed, v_last_seq,
                       (SELECT s.link FROM public.audit_seals s WHERE s.seq = v_last_seq);
                -- Only whole partitions go; audits_default (no bounds) is never touched.
                EXECUTE format('ALTER TABLE public.audits DETACH PARTITION %s', r.part);
                EXECUTE format('DROP TABLE %s', r.part);
                RETURN NEXT r.relname;
            END LOOP;
        END
        $fn$;
        REVOKE ALL ON FUNCTION drop_audit_partitions_older_than(date) FROM PUBLIC;
        """;

    private const string GrantAppRole = """
        DO $grants$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'agepar_user') THEN
                RAISE NOTICE 'role agepar_user does not exist: grants skipped';
                RETURN;
            END IF;
            -- The default privileges give app tables full DML; these three are insert-only (seals) or read-only.
            REVOKE ALL ON audit_seals, audit_partition_drops, audit_chain_start FROM agepar_user;
            GRANT SELECT, INSERT ON audit_seals TO agepar_user;
            GRANT SELECT ON audit_partition_drops, audit_chain_start TO agepar_user;
        END
        $grants$;
        """;

    /// <summary>The retention function of InitialSchema, for Down.</summary>
    private const string RestoreRetention = """
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
                EXECUTE format('ALTER TABLE public.audits DETACH PARTITION %s', r.part);
                EXECUTE format('DROP TABLE %s', r.part);
                RETURN NEXT r.relname;
            END LOOP;
        END
        $fn$;
        REVOKE ALL ON FUNCTION drop_audit_partitions_older_than(date) FROM PUBLIC;
        """;
}
