-- EXPLAIN (ANALYZE, BUFFERS) of the control panel's main queries, written exactly as the BFF sends them
-- (Agepar.Bff/Control/AuditQueries.cs, SubmissionQueries.cs, PanelSql.cs, Automations/Queue/SubmissionQueue.cs),
-- with the parameters filled in. Run after bench/seed.sql; prints Markdown:
--
--   psql "$BENCH_DB" -X -q -f bench/explain.sql > bench/RESULTS.explain.md
\set ON_ERROR_STOP on
\pset pager off
\pset format unaligned
\pset tuples_only on

-- Values the queries use, picked from the seeded data.
SELECT id AS actor FROM users WHERE email = 'bench-0042@agepar.bench' \gset
SELECT occurred_at AS c_at, id AS c_id FROM audits ORDER BY occurred_at DESC, id DESC OFFSET 50 LIMIT 1 \gset
SELECT object_id AS obj FROM audits WHERE object_type = 'submission' AND occurred_at > now() - interval '1 day' LIMIT 1 \gset
SELECT created_at AS s_at, id AS s_id FROM submissions ORDER BY created_at DESC, id DESC OFFSET 50 LIMIT 1 \gset

\echo '# Panel query plans'
\echo
SELECT format('PostgreSQL %s; audits: %s rows in %s partitions; submissions: %s rows. Generated %s.',
              current_setting('server_version'), (SELECT count(*) FROM audits),
              (SELECT count(*) FROM pg_inherits WHERE inhparent = 'audits'::regclass),
              (SELECT count(*) FROM submissions), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'));

\echo
\echo '## 1. Audits, first page, no filter (GET /api/control/audits)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51;
\echo '```'

\echo '## 2. Audits, next page (keyset cursor)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 WHERE (a.occurred_at, a.id) < (:'c_at'::timestamptz, :c_id)
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51;
\echo '```'

\echo '## 3. Audits of one kind (?kind=dfd)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 WHERE a.kind = 'dfd'
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51;
\echo '```'

\echo '## 4. Audits of one action in a date range (?action=submission.failed&since=…&until=…): partition pruning'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 WHERE a.action = 'submission.failed'
   AND a.occurred_at >= now() - interval '45 days' AND a.occurred_at < now() - interval '15 days'
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51;
\echo '```'

\echo '## 5. Audits of one actor (?actor=bench-0042@agepar.bench, resolved to the user id)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 WHERE a.actor_user_id = :'actor'::uuid
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51;
\echo '```'

\echo '## 6. History of one submission (?objectType=submission&objectId=…)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 WHERE a.object_type = 'submission' AND a.object_id = :'obj'
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51;
\echo '```'

\echo '## 7. Free text (?text=falha simulada 4242) with a kind, newest first'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 WHERE a.kind = 'dfd'
   AND (coalesce(a.actor_name, '') || ' ' || coalesce(a.actor_email, '') || ' ' || coalesce(a.object_id, '') || ' ' || a.metadata::text)
       ILIKE '%falha simulada 4242%'
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51;
\echo '```'

\echo '## 8. Total, capped exact count (?kind=dfd: 227k rows, more than the cap, so the count stops at 10001 and the estimate of section 9 is returned)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM (SELECT 1 FROM audits a WHERE a.kind = 'dfd' LIMIT 10001) AS t;
\echo '```'

\echo '## 9. Total estimate: the planner''s row count (EXPLAIN without ANALYZE, nothing executed)'
CREATE FUNCTION pg_temp.plan_rows(query text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric;
END $$;
\echo '```'
EXPLAIN SELECT 1 FROM audits a WHERE a.kind = 'dfd';
\echo '```'
SELECT format('Estimate %s rows, actual %s (kind = dfd); estimate %s, actual %s (action = submission.failed, last 30 days).',
              pg_temp.plan_rows($q$SELECT 1 FROM audits a WHERE a.kind = 'dfd'$q$),
              (SELECT count(*) FROM audits WHERE kind = 'dfd'),
              pg_temp.plan_rows($q$SELECT 1 FROM audits a WHERE a.action = 'submission.failed' AND a.occurred_at >= now() - interval '30 days'$q$),
              (SELECT count(*) FROM audits WHERE action = 'submission.failed' AND occurred_at >= now() - interval '30 days'));

\echo
\echo '## 10. Total, capped exact count under the cap (?actor=…&action=submission.failed)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM (SELECT 1 FROM audits a WHERE a.action = 'submission.failed' AND a.actor_user_id = :'actor'::uuid LIMIT 10001) AS t;
\echo '```'

\echo '## 11. CSV export, whole result streamed (audits.csv?kind=form2json&action=submission.completed&since=30 days ago)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id,
       a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text
  FROM audits a
 WHERE a.kind = 'form2json' AND a.action = 'submission.completed' AND a.occurred_at >= now() - interval '30 days'
 ORDER BY a.occurred_at DESC, a.id DESC;
\echo '```'

\echo '## 12. Submissions, first page, no filter (GET /api/control/submissions)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT s.id, s.kind, s.kind_version, s.status, s.actor_user_id, s.actor_name, s.actor_email, s.attempts, s.max_attempts,
       s.created_at, s.started_at, s.finished_at, s.error
  FROM submissions s
 ORDER BY s.created_at DESC, s.id DESC
 LIMIT 51;
\echo '```'

\echo '## 13. Submissions of one kind and status, next page (?kind=dfd&status=error&cursor=…)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT s.id, s.kind, s.kind_version, s.status, s.actor_user_id, s.actor_name, s.actor_email, s.attempts, s.max_attempts,
       s.created_at, s.started_at, s.finished_at, s.error
  FROM submissions s
 WHERE s.kind = 'dfd' AND s.status = 'error' AND (s.created_at, s.id) < (:'s_at'::timestamptz, :'s_id'::uuid)
 ORDER BY s.created_at DESC, s.id DESC
 LIMIT 51;
\echo '```'

\echo '## 14. Submissions of one actor (also "my submissions": ix_submissions_actor_created)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT s.id, s.kind, s.kind_version, s.status, s.actor_user_id, s.actor_name, s.actor_email, s.attempts, s.max_attempts,
       s.created_at, s.started_at, s.finished_at, s.error
  FROM submissions s
 WHERE s.actor_user_id = :'actor'::uuid
 ORDER BY s.created_at DESC, s.id DESC
 LIMIT 51;
\echo '```'

\echo '## 15. Submissions total (?status=error)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM (SELECT 1 FROM submissions s WHERE s.status = 'error' LIMIT 10001) AS t;
\echo '```'

\echo '## 16. Queue claim (the worker, every poll; rolled back here)'
\echo '```'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
WITH queued AS (
       SELECT id, status AS previous_status, lease_owner AS previous_owner
         FROM submissions
        WHERE status = 'queued' AND run_after <= now() AND kind = ANY('{dfd,form2json}'::text[])
        ORDER BY run_after, created_at
        LIMIT 4
          FOR UPDATE SKIP LOCKED),
     expired AS (
       SELECT id, status AS previous_status, lease_owner AS previous_owner
         FROM submissions
        WHERE status = 'running' AND lease_until < now() AND kind = ANY('{dfd,form2json}'::text[])
        ORDER BY lease_until
        LIMIT 4
          FOR UPDATE SKIP LOCKED),
     c AS (SELECT * FROM queued UNION ALL SELECT * FROM expired LIMIT 4)
UPDATE submissions AS s
   SET status = 'running', lease_owner = 'bench', lease_until = now() + interval '5 minutes',
       attempts = s.attempts + 1, started_at = coalesce(s.started_at, now())
  FROM c
 WHERE s.id = c.id
RETURNING s.id, s.kind, s.kind_version, s.payload::text, s.attempts, s.max_attempts,
          s.actor_user_id, s.actor_name, s.actor_email, s.actor_cpf_encrypted, s.created_at,
          c.previous_status = 'running', c.previous_owner, s.actor_cpf_hmac;
ROLLBACK;
\echo '```'
