-- pgbench: the whole life of one submission as the BFF writes it (bench/ratios.sh), three transactions each with its
-- audit: create; claim (the worker's claim SQL, SubmissionQueue.ClaimSql, for kind 'pgbench', limit 1); complete
-- (SubmissionQueue.CompleteAsync's UPDATE under the lease guard). Kind 'pgbench': no BFF worker claims these rows.
\set a random(0, 2147483647)
\set b random(0, 2147483647)
BEGIN;
INSERT INTO submissions (id, kind, kind_version, actor_user_id, actor_name, actor_email, actor_cpf_encrypted, actor_cpf_hmac, payload, status, attempts, max_attempts, idempotency_key, request_hash)
VALUES (('00000000-0000-4000-8000-' || lpad(to_hex(:a::int), 8, '0') || lpad(to_hex(:b::int % 65536), 4, '0'))::uuid, 'pgbench', '1.0.0', :actor, 'Bench Admin', 'admin@agepar.local', NULL, NULL,
        '{"nome": "Maria da Silva","email": "maria@agepar.pr.gov.br","departamento": "DAF","prioridade": "alta","data": "2026-03-05","aceitaTermos": true,"itens": [{"descricao": "Cadeira","quantidade": 2}]}',
        'queued', 0, 3, NULL, decode(md5(:a::text), 'hex') || decode(md5(:b::text), 'hex'));
INSERT INTO audits (actor_user_id, actor_name, actor_email, actor_cpf_encrypted, actor_cpf_hmac, action, kind, object_type, object_id, outcome, ip, user_agent, trace_id, metadata)
VALUES (:actor, 'Bench Admin', 'admin@agepar.local', NULL, NULL, 'submission.created', 'pgbench', 'submission',
        '00000000-0000-4000-8000-' || lpad(to_hex(:a::int), 8, '0') || lpad(to_hex(:b::int % 65536), 4, '0'), 'success', '127.0.0.1', 'wrk/4 (bench)',
        md5(:a::text), '{"kindVersion": "1.0.0","idempotencyKey": null}');
COMMIT;
BEGIN;
WITH queued AS (
       SELECT id, status AS previous_status, lease_owner AS previous_owner
         FROM submissions
        WHERE status = 'queued' AND run_after <= now() AND kind = ANY('{pgbench}')
        ORDER BY run_after, created_at
        LIMIT 1
          FOR UPDATE SKIP LOCKED),
     expired AS (
       SELECT id, status AS previous_status, lease_owner AS previous_owner
         FROM submissions
        WHERE status = 'running' AND lease_until < now() AND kind = ANY('{pgbench}')
        ORDER BY lease_until
        LIMIT 1
          FOR UPDATE SKIP LOCKED),
     orphaned AS (
       SELECT id, status AS previous_status, lease_owner AS previous_owner
         FROM submissions
        WHERE status = 'running' AND lease_owner = 'pgbench-' || :client_id AND lease_until >= now() AND NOT (id = ANY('{}'::uuid[]))
        LIMIT 1
          FOR UPDATE SKIP LOCKED),
     c AS (SELECT * FROM queued UNION ALL SELECT * FROM expired UNION ALL SELECT * FROM orphaned LIMIT 1),
     u AS (
       UPDATE submissions AS s
          SET status = 'running', lease_owner = 'pgbench-' || :client_id, lease_until = now() + interval '5 minutes',
              attempts = s.attempts + 1, started_at = coalesce(s.started_at, now())
         FROM c
        WHERE s.id = c.id
       RETURNING s.id, s.kind, s.kind_version, s.payload::text, s.attempts, s.max_attempts,
                 s.actor_user_id, s.actor_name, s.actor_email, s.actor_cpf_encrypted, s.actor_cpf_hmac, s.created_at,
                 c.previous_status = 'running', c.previous_owner)
SELECT coalesce(max(id::text), '00000000-0000-0000-0000-000000000000') AS claimed, coalesce(max(attempts), 0) AS attempt FROM u \gset
INSERT INTO audits (actor_user_id, actor_name, actor_email, actor_cpf_encrypted, actor_cpf_hmac, action, kind, object_type, object_id, outcome, ip, user_agent, trace_id, metadata)
VALUES (:actor, 'Bench Admin', 'admin@agepar.local', NULL, NULL, 'submission.started', 'pgbench', 'submission', :claimed, 'success', NULL, NULL,
        md5(:a::text), '{"attempt": 1,"maxAttempts": 3,"worker": "pgbench","reclaimedFrom": null}');
COMMIT;
BEGIN;
UPDATE submissions
   SET status = 'done', result = '{"engine": "form2json@1.0.0","data": {"nome": "Maria da Silva"}}', error = NULL, finished_at = now(), lease_owner = NULL, lease_until = NULL
 WHERE id = :claimed AND status = 'running' AND lease_owner = 'pgbench-' || :client_id AND attempts = :attempt;
INSERT INTO audits (actor_user_id, actor_name, actor_email, actor_cpf_encrypted, actor_cpf_hmac, action, kind, object_type, object_id, outcome, ip, user_agent, trace_id, metadata)
VALUES (:actor, 'Bench Admin', 'admin@agepar.local', NULL, NULL, 'submission.completed', 'pgbench', 'submission', :claimed, 'success', NULL, NULL,
        md5(:a::text), '{"attempt": 1,"worker": "pgbench","file": null}');
COMMIT;
