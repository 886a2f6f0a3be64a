-- People and access: customer organisations, tenant users, refresh tokens, API keys and the
-- platform admins who stand above tenants. Every tenant table follows V001: row-level security
-- ENABLEd and FORCEd, keyed on otklik_current_tenant().
--
-- Foreign keys between tenant tables are composite, (tenant_id, id), because referential checks
-- bypass row-level security: only the key itself stops a user of tenant A from being attached
-- to an organisation of tenant B.

CREATE TABLE organisation (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          text NOT NULL REFERENCES tenant (id),
  name               text NOT NULL CHECK (btrim(name) <> ''),
  contract_number    text,
  contract_start     date,
  free_support_until date,
  warranty_until     date,
  created_at         timestamptz NOT NULL DEFAULT now(),
  version            integer NOT NULL DEFAULT 1 CHECK (version > 0),
  UNIQUE (tenant_id, id)
);

-- Mail domains that identify an organisation's people (intake matches a sender by domain). A
-- table rather than an array column, so that one domain belongs to at most one organisation
-- per tenant and a lookup by domain uses the primary key.
CREATE TABLE organisation_email_domain (
  tenant_id       text NOT NULL,
  domain          text NOT NULL CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
  organisation_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, domain),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisation (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX organisation_email_domain_by_organisation ON organisation_email_domain (tenant_id, organisation_id);

CREATE TABLE app_user (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       text NOT NULL REFERENCES tenant (id),
  email           text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  display_name    text NOT NULL CHECK (btrim(display_name) <> ''),
  locale          text NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'en')),
  -- Null until the person sets a password (a customer registered from an e-mail has none);
  -- a user without one cannot log in with a password.
  password_hash   text,
  role            text NOT NULL CHECK (role IN ('customer', 'agent', 'coordinator', 'tenant_admin')),
  organisation_id uuid,
  enabled         boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1 CHECK (version > 0),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisation (tenant_id, id),
  CONSTRAINT app_user_customer_has_organisation CHECK (role <> 'customer' OR organisation_id IS NOT NULL)
);
-- E-mail is case-insensitive per tenant; lower() instead of citext, which needs an extension.
CREATE UNIQUE INDEX app_user_email_per_tenant ON app_user (tenant_id, lower(email));
CREATE INDEX app_user_by_organisation ON app_user (tenant_id, organisation_id) WHERE organisation_id IS NOT NULL;

-- Refresh tokens are opaque random strings; only their SHA-256 is stored. Each login starts a
-- family (family_id = id of its first token); every rotation adds the next token to it and
-- links the old one through replaced_by. Presenting a token that was already rotated means it
-- leaked, and one indexed UPDATE on family_id revokes the whole chain.
CREATE TABLE refresh_token (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenant (id),
  user_id     uuid NOT NULL,
  family_id   uuid NOT NULL,
  token_hash  text NOT NULL,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  replaced_by uuid REFERENCES refresh_token (id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE,
  CHECK (expires_at > issued_at),
  CHECK (replaced_by IS NULL OR revoked_at IS NOT NULL)
);
CREATE INDEX refresh_token_by_family ON refresh_token (tenant_id, family_id);
CREATE INDEX refresh_token_by_user ON refresh_token (tenant_id, user_id) WHERE revoked_at IS NULL;

-- Keys for a vendor's own tools. Customers act through people, so a key never has that role.
CREATE TABLE api_key (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  text NOT NULL REFERENCES tenant (id),
  name       text NOT NULL CHECK (btrim(name) <> ''),
  key_hash   text NOT NULL,
  role       text NOT NULL CHECK (role IN ('agent', 'coordinator', 'tenant_admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  UNIQUE (tenant_id, key_hash)
);
CREATE UNIQUE INDEX api_key_live_name_per_tenant ON api_key (tenant_id, lower(name)) WHERE revoked_at IS NULL;

-- Platform admins have no tenant. Their table still has forced RLS, but the policy is not a
-- tenant filter: rows are visible only in a transaction that declared platform scope
-- (set_config('app.platform_admin', 'on', true)) and set no tenant. The application role could
-- set that flag itself, so this is not a wall against the application; it keeps the password
-- hashes out of reach of every tenant-scoped transaction and of bare pool queries, so a bug
-- or an injected join in tenant code cannot read them. (A SECURITY DEFINER function was the
-- alternative; with FORCE RLS it would need an owner-exempting policy, and a non-superuser
-- owner in production would make that fragile.)
CREATE TABLE platform_admin (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX platform_admin_email ON platform_admin (lower(email));

CREATE FUNCTION otklik_platform_scope() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.platform_admin', true), '') = 'on'
               AND otklik_current_tenant() IS NULL $$;

-- The same tenant policy as V001, on every new tenant table.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['organisation', 'organisation_email_domain', 'app_user', 'refresh_token', 'api_key'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

ALTER TABLE platform_admin ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_admin FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_scope_only ON platform_admin
  USING (otklik_platform_scope())
  WITH CHECK (otklik_platform_scope());

GRANT EXECUTE ON FUNCTION otklik_platform_scope() TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON organisation TO ${app_role};
GRANT SELECT, INSERT, DELETE ON organisation_email_domain TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON app_user TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_token TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON api_key TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON platform_admin TO ${app_role};
