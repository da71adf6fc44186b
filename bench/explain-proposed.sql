-- The indexes proposed in bench/RESULTS.md ("Proposed indexes"), measured without keeping them: everything runs in one
-- transaction that is rolled back (CREATE INDEX without CONCURRENTLY is transactional). Run after seed.sql:
--
--   psql "$BENCH_DB" -X -q -f bench/explain-proposed.sql > bench/RESULTS.proposed.md
\set ON_ERROR_STOP on
\pset pager off
\pset format unaligned
\pset tuples_only on
SELECT created_at AS s_at, id AS s_id FROM submissions ORDER BY created_at DESC, id DESC OFFSET 50 LIMIT 1 \gset

BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ix_audits_search_trgm ON audits USING gin
  ((coalesce(actor_name, '') || ' ' || coalesce(actor_email, '') || ' ' || coalesce(object_id, '') || ' ' || metadata::text) gin_trgm_ops);
CREATE INDEX ix_submissions_created ON submissions (created_at DESC, id DESC);
CREATE INDEX ix_submissions_status_created ON submissions (status, created_at DESC, id DESC);
CREATE INDEX ix_submissions_search_trgm ON submissions USING gin
  ((coalesce(actor_name, '') || ' ' || coalesce(actor_email, '') || ' ' || coalesce(error, '') || ' ' || payload::text) gin_trgm_ops);
ANALYZE audits;
ANALYZE submissions;

\echo '# With the proposed indexes'
\echo
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

\echo '## 12. Submissions, first page, no filter'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT s.id, s.kind, s.kind_version, s.status, s.actor_user_id, s.actor_name, s.actor_email, s.attempts, s.max_attempts,
       s.created_at, s.started_at, s.finished_at, s.error
  FROM submissions s
 ORDER BY s.created_at DESC, s.id DESC
 LIMIT 51;
\echo '```'

\echo '## 12b. Submissions, next page, no filter'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT s.id, s.kind, s.kind_version, s.status, s.actor_user_id, s.actor_name, s.actor_email, s.attempts, s.max_attempts,
       s.created_at, s.started_at, s.finished_at, s.error
  FROM submissions s
 WHERE (s.created_at, s.id) < (:'s_at'::timestamptz, :'s_id'::uuid)
 ORDER BY s.created_at DESC, s.id DESC
 LIMIT 51;
\echo '```'

\echo '## 15. Submissions total (?status=error)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM (SELECT 1 FROM submissions s WHERE s.status = 'error' LIMIT 10001) AS t;
\echo '```'

\echo '## 17. Submissions free text (?text=BENCH-1-4242)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT s.id, s.kind, s.kind_version, s.status, s.actor_user_id, s.actor_name, s.actor_email, s.attempts, s.max_attempts,
       s.created_at, s.started_at, s.finished_at, s.error
  FROM submissions s
 WHERE (coalesce(s.actor_name, '') || ' ' || coalesce(s.actor_email, '') || ' ' || coalesce(s.error, '') || ' ' || s.payload::text)
       ILIKE '%BENCH-1-4242%'
 ORDER BY s.created_at DESC, s.id DESC
 LIMIT 51;
\echo '```'
ROLLBACK;
