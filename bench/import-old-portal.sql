-- The current portal's layout (shared/reference/original-portal.md §1.1, §1.3; HR columns left out), as the importer
-- bench and docs/import.md use it. Agepar.Tests/Import/OldPortalFixtures.cs holds the same DDL for the tests.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cpf char(11) CHECK (cpf IS NULL OR cpf ~ '^[0-9]{11}$'),
    email citext,
    name text NOT NULL,
    password_hash text,
    phone text,
    status text NOT NULL DEFAULT 'active',
    source text NOT NULL DEFAULT 'local',
    is_superuser boolean NOT NULL DEFAULT false,
    attrs jsonb NOT NULL DEFAULT '{}',
    last_login_at timestamptz,
    verified_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    must_change_password boolean NOT NULL DEFAULT true);
CREATE TABLE roles (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL UNIQUE, description text,
                    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE user_roles (user_id uuid REFERENCES users(id) ON DELETE CASCADE, role_id uuid REFERENCES roles(id) ON DELETE CASCADE,
                         granted_at timestamptz DEFAULT now(), PRIMARY KEY (user_id, role_id));
CREATE TABLE audit_events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), actor_user_id uuid REFERENCES users(id),
                           action text NOT NULL, object_type text, object_id text, message text,
                           metadata jsonb NOT NULL DEFAULT '{}', ip inet, user_agent text, request_id uuid);
CREATE TABLE submissions (id text PRIMARY KEY, kind text NOT NULL, version text NOT NULL, actor_cpf text, actor_nome text,
                          actor_email text, payload jsonb NOT NULL, status text NOT NULL, result jsonb, error text,
                          created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE automation_audits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), actor_cpf text, actor_nome text,
                                kind text NOT NULL, action text NOT NULL, meta jsonb);
