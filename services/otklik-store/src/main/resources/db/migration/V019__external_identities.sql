-- Single sign-on with OpenID Connect (issue 10): the people a tenant's identity providers sign
-- in, the browser flows in progress, and the one-time codes that hand a finished sign-in to the
-- portal. Every table follows V001/V002: row-level security ENABLEd and FORCEd, keyed on
-- otklik_current_tenant(), and composite (tenant_id, id) foreign keys, so an identity, a flow or
-- a code of tenant A can never point at a person of tenant B. provider_id is the id of the
-- provider in the tenant's config (sign-in.oidc[].id): the same issuer configured for two
-- tenants gives two unrelated rows, two accounts, and nothing crosses over.

-- A person of a provider (iss + sub, with the provider standing for its issuer) linked to an
-- account of the tenant. Made on the first sign-in (just-in-time provisioning or a match by a
-- verified e-mail); email is the address the provider gave at link time, kept for the record.
CREATE TABLE external_identity (
  tenant_id         text NOT NULL REFERENCES tenant (id),
  provider_id       text NOT NULL CHECK (provider_id ~ '^[a-z0-9][a-z0-9-]*$'),
  subject           text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  user_id           uuid NOT NULL,
  email             text,
  created_at        timestamptz NOT NULL,
  last_sign_in_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, provider_id, subject),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX external_identity_by_user ON external_identity (tenant_id, user_id);

-- An authorization-code flow between /start and /callback: ten minutes, spent once. Only the
-- SHA-256 of the state (the lookup key) and of the browser-binding cookie are stored; the nonce
-- and the PKCE verifier are kept as they are, because the callback needs them, and the row is
-- useless once spent or lapsed.
CREATE TABLE oidc_login_state (
  tenant_id     text NOT NULL REFERENCES tenant (id),
  state_hash    text NOT NULL,
  provider_id   text NOT NULL,
  nonce         text NOT NULL,
  code_verifier text NOT NULL,
  return_to     text,
  browser_hash  text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  PRIMARY KEY (tenant_id, state_hash),
  CHECK (expires_at > created_at)
);
CREATE INDEX oidc_login_state_by_expiry ON oidc_login_state (tenant_id, expires_at);

-- A finished sign-in waiting for the portal to collect it (POST .../auth/oidc/exchange): about a
-- minute, spent once, only its SHA-256 stored. Tokens never travel in a URL; this code does, in
-- the fragment of the portal address.
CREATE TABLE oidc_sign_in_code (
  tenant_id    text NOT NULL REFERENCES tenant (id),
  code_hash    text NOT NULL,
  user_id      uuid NOT NULL,
  provider_id  text NOT NULL,
  amr          text[] NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (tenant_id, code_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE,
  CHECK (expires_at > created_at)
);
CREATE INDEX oidc_sign_in_code_by_expiry ON oidc_sign_in_code (tenant_id, expires_at);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['external_identity', 'oidc_login_state', 'oidc_sign_in_code'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON external_identity TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON oidc_login_state TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON oidc_sign_in_code TO ${app_role};
