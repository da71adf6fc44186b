-- Seeds a THROWAWAY Agepar database for the panel benchmarks (bench/README.md). Run it as the postgres superuser
-- (or the schema owner agepar_admin) after the migrations:
--
--   psql "$BENCH_DB" -v rows=1000000 -v months=6 -v submissions=200000 -f bench/seed.sql
--
-- What it adds (audits are append-only: the rows cannot be removed afterwards, so never run it on real data):
--   * 500 users bench-NNNN@agepar.bench (no password: they cannot sign in);
--   * the monthly audit partitions of the past :months months (what ensure_audit_partitions creates month after
--     month on a live system), so the data spreads over real partitions instead of audits_default;
--   * :rows audits spread uniformly over those months: submission.* events of four kinds, logins, failures, denials;
--   * :submissions submissions (90 % done, 5 % error, 3 % cancelled, 2 % queued but delayed ten years, so a live
--     worker never runs them) with a unique DFD protocolo each;
--   * ANALYZE of both tables.
\set ON_ERROR_STOP on
\if :{?rows}
\else
  \set rows 1000000
\endif
\if :{?months}
\else
  \set months 6
\endif
\if :{?submissions}
\else
  \set submissions 200000
\endif
\timing on

SELECT set_config('bench.months', :'months', false);

INSERT INTO users (email, name, status)
SELECT format('bench-%s@agepar.bench', lpad(n::text, 4, '0')), format('Servidor Bench %s', lpad(n::text, 4, '0')), 'active'
  FROM generate_series(1, 500) AS n
ON CONFLICT DO NOTHING;

DO $$
DECLARE
  months int := current_setting('bench.months')::int;
  lo timestamptz;
  part text;
BEGIN
  FOR i IN 1..months LOOP
    lo := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(months => i);
    part := format('audits_y%sm%s', to_char(lo AT TIME ZONE 'UTC', 'YYYY'), to_char(lo AT TIME ZONE 'UTC', 'MM'));
    IF to_regclass(part) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF audits FOR VALUES FROM (%L) TO (%L)', part, lo, lo + interval '1 month');
        -- As ensure_audit_partitions leaves them: owned by the schema owner (so agepar_admin's backups can read
        -- them), append-only, and INSERT/SELECT for the application role.
        EXECUTE format('ALTER TABLE %I OWNER TO %I', part, (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'audits'::regclass));
        EXECUTE format('CREATE TRIGGER audits_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audits_append_only()', part);
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', part);
        EXECUTE format('GRANT SELECT, INSERT ON %I TO agepar_user', part);
        RAISE NOTICE 'created partition %', part;
      EXCEPTION WHEN others THEN
        RAISE NOTICE 'partition % not created (%); its rows go to audits_default', part, SQLERRM;
      END;
    END IF;
  END LOOP;
END $$;

WITH actors AS (
  SELECT array_agg(id ORDER BY email) AS ids, array_agg(name ORDER BY email) AS names, array_agg(email::text ORDER BY email) AS emails
    FROM users WHERE email::text LIKE '%@agepar.bench'
)
INSERT INTO audits (occurred_at, actor_user_id, actor_name, actor_email, action, kind, object_type, object_id, outcome, ip, user_agent, trace_id, metadata)
SELECT x.ts, a.ids[x.k], a.names[x.k], a.emails[x.k], e.action,
       CASE WHEN e.action LIKE 'submission.%' OR e.action = 'auth.access_denied' THEN x.kind END,
       CASE WHEN e.action LIKE 'submission.%' THEN 'submission' WHEN e.action LIKE 'user.%' THEN 'user' END,
       CASE WHEN e.action LIKE 'submission.%' THEN x.object_id WHEN e.action LIKE 'user.%' THEN a.ids[x.k]::text END,
       e.outcome,
       format('10.%s.%s.%s', (x.r * 250)::int, (x.r2 * 250)::int, 1 + (x.r3 * 250)::int)::inet,
       'Mozilla/5.0 (bench)',
       md5(x.n::text),
       CASE WHEN e.outcome = 'failure' THEN jsonb_build_object('error', 'Falha simulada ' || x.n, 'attempt', 1 + (x.r2 * 3)::int)
            ELSE jsonb_build_object('n', x.n) END
  FROM actors AS a,
       generate_series(1, :rows) AS g(n)
       CROSS JOIN LATERAL (
         SELECT g.n AS n,
                1 + floor(random() * 500 + g.n * 0)::int AS k,
                now() - random() * make_interval(months => current_setting('bench.months')::int) AS ts,
                random() AS r, random() AS r2, random() AS r3,
                (ARRAY['dfd', 'form2json', 'etp', 'ferias'])[1 + floor(random() * 4)::int] AS kind,
                gen_random_uuid()::text AS object_id) AS x
       CROSS JOIN LATERAL (
         SELECT CASE WHEN x.r < 0.30 THEN 'submission.created'   WHEN x.r < 0.55 THEN 'submission.started'
                     WHEN x.r < 0.78 THEN 'submission.completed' WHEN x.r < 0.82 THEN 'submission.failed'
                     WHEN x.r < 0.84 THEN 'submission.cancelled' WHEN x.r < 0.90 THEN 'submission.downloaded'
                     WHEN x.r < 0.96 THEN 'auth.login'           WHEN x.r < 0.985 THEN 'auth.login_failed'
                     WHEN x.r < 0.995 THEN 'auth.access_denied'  ELSE 'user.updated' END AS action,
                CASE WHEN x.r >= 0.78 AND x.r < 0.82 OR x.r >= 0.96 AND x.r < 0.985 THEN 'failure'
                     WHEN x.r >= 0.985 AND x.r < 0.995 THEN 'denied' ELSE 'success' END AS outcome) AS e;

WITH actors AS (
  SELECT array_agg(id ORDER BY email) AS ids, array_agg(name ORDER BY email) AS names, array_agg(email::text ORDER BY email) AS emails
    FROM users WHERE email::text LIKE '%@agepar.bench'
),
runs AS (SELECT coalesce(max((payload->>'benchRun')::int), 0) + 1 AS run FROM submissions WHERE payload ? 'benchRun')
INSERT INTO submissions (kind, kind_version, actor_user_id, actor_name, actor_email, payload, status, result, error, attempts,
                         max_attempts, run_after, created_at, started_at, finished_at)
SELECT x.kind, '1.0.0', a.ids[x.k], a.names[x.k], a.emails[x.k],
       jsonb_build_object('benchRun', runs.run, 'protocolo', format('BENCH-%s-%s', runs.run, g.n), 'assunto', 'Assunto de teste ' || md5(g.n::text),
                          'valorTotal', round((random() * 100000)::numeric, 2)),
       x.status,
       CASE WHEN x.status = 'done' THEN jsonb_build_object('engine', x.kind || '@1.0.0') END,
       CASE WHEN x.status = 'error' THEN 'Falha simulada na tentativa 3.' END,
       CASE x.status WHEN 'queued' THEN 0 WHEN 'cancelled' THEN 0 WHEN 'error' THEN 3 ELSE 1 END,
       3,
       CASE WHEN x.status = 'queued' THEN now() + interval '10 years' ELSE x.ts END,
       x.ts,
       CASE WHEN x.status IN ('done', 'error') THEN x.ts + interval '1 second' END,
       CASE WHEN x.status IN ('done', 'error', 'cancelled') THEN x.ts + interval '2 seconds' END
  FROM actors AS a, runs,
       generate_series(1, :submissions) AS g(n)
       CROSS JOIN LATERAL (
         SELECT 1 + floor(random() * 500 + g.n * 0)::int AS k,
                now() - random() * make_interval(months => current_setting('bench.months')::int) AS ts,
                (ARRAY['dfd', 'form2json', 'etp', 'ferias'])[1 + floor(random() * 4)::int] AS kind,
                CASE WHEN random() < 0.90 THEN 'done' WHEN random() < 0.5 THEN 'error' WHEN random() < 0.6 THEN 'cancelled' ELSE 'queued' END AS status) AS x;

ANALYZE users;
ANALYZE audits;
ANALYZE submissions;

SELECT (SELECT count(*) FROM audits) AS audits, (SELECT count(*) FROM submissions) AS submissions,
       (SELECT count(*) FROM pg_inherits WHERE inhparent = 'audits'::regclass) AS audit_partitions;
