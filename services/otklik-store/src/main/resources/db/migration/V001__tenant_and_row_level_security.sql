-- Tenants and their config history. Every table that holds tenant data gets row-level
-- security, ENABLEd and FORCEd (so even the owner is filtered), keyed on the transaction-local
-- setting app.tenant_id. The application role (${app_role}) is neither owner nor superuser.

CREATE FUNCTION otklik_current_tenant() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '') $$;

CREATE TABLE tenant (
  id                    text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
  request_number_prefix text NOT NULL CHECK (request_number_prefix ~ '^[A-Z][A-Z0-9]{1,9}$'),
  enabled               boolean NOT NULL,
  current_version       integer,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Append-only: the version a request was given its SLA under must stay readable.
CREATE TABLE tenant_config_version (
  tenant_id    text NOT NULL REFERENCES tenant (id),
  version      integer NOT NULL CHECK (version > 0),
  content_hash text NOT NULL,
  sla_version  text,
  config       jsonb NOT NULL,
  loaded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, version),
  UNIQUE (tenant_id, content_hash)
);

ALTER TABLE tenant ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant
  USING (id = otklik_current_tenant())
  WITH CHECK (id = otklik_current_tenant());

ALTER TABLE tenant_config_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_config_version FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_config_version
  USING (tenant_id = otklik_current_tenant())
  WITH CHECK (tenant_id = otklik_current_tenant());

GRANT USAGE ON SCHEMA public TO ${app_role};
GRANT EXECUTE ON FUNCTION otklik_current_tenant() TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON tenant TO ${app_role};
GRANT SELECT, INSERT ON tenant_config_version TO ${app_role};
