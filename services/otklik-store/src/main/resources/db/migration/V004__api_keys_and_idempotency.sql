-- Access layer: what API keys still lacked, and idempotency keys for POSTs that create things.
-- The new table follows V001/V002: row-level security ENABLEd and FORCEd, keyed on
-- otklik_current_tenant().

-- A key's secret is shown once; its first characters stay visible, so an admin can tell keys
-- apart in a list without the secret. created_by is the tenant admin (or key) that made it.
-- Each key acts through a service account: an app_user row with the key's id, created with the
-- key. Whatever a key does (files a request, comments) then satisfies the same foreign keys as
-- a person's action and names the integration in the history. Service accounts have no
-- password (so no sign-in) and are left out of people lists.
ALTER TABLE app_user ADD COLUMN service_account boolean NOT NULL DEFAULT false;

ALTER TABLE api_key ADD COLUMN key_prefix text;
ALTER TABLE api_key ADD COLUMN created_by uuid;
CREATE INDEX api_key_by_time ON api_key (tenant_id, created_at DESC, id);

-- One row per Idempotency-Key a caller sent with a creating POST. principal_id is the user, or
-- the API key, that sent it (no foreign key: it is one or the other). The primary key is what
-- makes two concurrent identical requests safe: the second INSERT waits for the first and then
-- finds its row. response_status is null while the first request is still running.
CREATE TABLE idempotency_key (
  tenant_id        text NOT NULL REFERENCES tenant (id),
  principal_id     uuid NOT NULL,
  idem_key         text NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 255),
  request_hash     text NOT NULL,
  response_status  integer CHECK (response_status BETWEEN 100 AND 599),
  response_headers jsonb,
  response_body    text,
  created_at       timestamptz NOT NULL,
  completed_at     timestamptz,
  PRIMARY KEY (tenant_id, principal_id, idem_key),
  CHECK ((response_status IS NULL) = (completed_at IS NULL))
);

ALTER TABLE idempotency_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_key FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_key
  USING (tenant_id = otklik_current_tenant())
  WITH CHECK (tenant_id = otklik_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_key TO ${app_role};
