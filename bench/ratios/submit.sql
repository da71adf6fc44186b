-- pgbench: what one accepted submit writes (bench/ratios.sh): the submission and its submission.created audit in one
-- transaction, as agepar_user. Kind 'pgbench' so that no BFF worker ever claims these rows. The id is built from two
-- random numbers (no extra round trip for gen_random_uuid()). JSON keys are followed by ": " (a space), so pgbench
-- does not take ":true" or ":null" for one of its variables.
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
