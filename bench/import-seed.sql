-- Fills the old-portal layout (import-old-portal.sql) for the importer bench: 1,000 users, 100,000 submissions,
-- 950,000 automation_audits and 50,000 audit_events spread over 2023-09 .. 2025-08 (24 months). psql -v none.
CREATE FUNCTION pg_temp.cpf_of(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE d text := lpad(n::text, 9, '0'); s int := 0; c int;
BEGIN
    FOR i IN 1..9 LOOP s := s + substr(d, i, 1)::int * (11 - i); END LOOP;
    c := s % 11; d := d || CASE WHEN c < 2 THEN 0 ELSE 11 - c END;
    s := 0;
    FOR i IN 1..10 LOOP s := s + substr(d, i, 1)::int * (12 - i); END LOOP;
    c := s % 11; RETURN d || CASE WHEN c < 2 THEN 0 ELSE 11 - c END;
END $$;

INSERT INTO roles (name) VALUES ('admin'), ('user'), ('rh'), ('controle');
INSERT INTO users (cpf, email, name, password_hash, status, must_change_password, created_at)
SELECT pg_temp.cpf_of(100000000 + g), 'u' || g || '@bench.agepar.test', 'Usuário ' || g,
       '$argon2id$v=19$m=65536,t=3,p=4$YWdlcGFyLWZpeGVkLXNhbHQ$rZhHF1jrINVfdtyFA/cUFF4enit6e4gESBbRqEvz8aw',
       CASE WHEN g % 50 = 0 THEN 'blocked' ELSE 'active' END, false, '2023-08-01'::timestamptz + g * interval '1 minute'
  FROM generate_series(1, 1000) g;
INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM users u, roles r WHERE r.name = 'user';

CREATE TEMP TABLE actors AS SELECT row_number() OVER (ORDER BY email) AS n, cpf, email, name FROM users;

INSERT INTO submissions (id, kind, version, actor_cpf, actor_nome, actor_email, payload, status, result, error, created_at, updated_at)
SELECT gen_random_uuid()::text, k.kind, '2.6.0', a.cpf, a.name, a.email,
       CASE WHEN k.kind = 'dfd' THEN jsonb_build_object('protocolo', 'P' || g, 'assunto', 'Compra ' || g)
            ELSE jsonb_build_object('nome', 'Nome ' || g, 'dias', g % 30) END,
       CASE WHEN g % 20 = 0 THEN 'error' ELSE 'done' END,
       CASE WHEN g % 20 = 0 THEN NULL ELSE jsonb_build_object('file_path', '/app/data/files/' || k.kind || '/' || g || '.pdf', 'engine', k.kind || '@2.6.0') END,
       CASE WHEN g % 20 = 0 THEN 'falhou' END,
       t, t + interval '3 seconds'
  FROM generate_series(1, 100000) g
  CROSS JOIN LATERAL (SELECT (ARRAY['dfd', 'ferias', 'form2json', 'etp'])[1 + g % 4] AS kind) k
  JOIN actors a ON a.n = 1 + g % 1000
  CROSS JOIN LATERAL (SELECT '2023-09-01'::timestamptz + (g::double precision / 100000) * interval '730 days' AS t) ts;

INSERT INTO automation_audits (at, actor_cpf, actor_nome, kind, action, meta)
SELECT '2023-09-01'::timestamptz + (g::double precision / 950000) * interval '730 days', a.cpf, a.name,
       (ARRAY['dfd', 'ferias', 'form2json', 'etp', 'fileshare'])[1 + g % 5],
       (ARRAY['submitted', 'running', 'completed', 'download', 'uploaded', 'failed'])[1 + g % 6],
       jsonb_build_object('sid', md5(g::text), 'ip', '10.0.0.1')
  FROM generate_series(1, 950000) g
  JOIN actors a ON a.n = 1 + g % 1000;

INSERT INTO audit_events (at, actor_user_id, action, object_type, object_id, metadata, ip, user_agent)
SELECT '2023-09-01'::timestamptz + (g::double precision / 50000) * interval '730 days', u.id,
       (ARRAY['auth.login', 'auth.logout', 'auth.password_changed'])[1 + g % 3], 'user', u.id::text, '{}', '10.1.2.3', 'Mozilla/5.0'
  FROM generate_series(1, 50000) g
  JOIN (SELECT row_number() OVER (ORDER BY id) AS n, id FROM users) u ON u.n = 1 + g % 1000;
ANALYZE;
