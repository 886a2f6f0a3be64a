-- Password resets by e-mail: one row per link sent. The link carries 256 random bits; only their
-- SHA-256 is stored. A row is spent once (used_at) and lapses at expires_at. Follows V001:
-- row-level security ENABLEd and FORCEd, keyed on otklik_current_tenant().
CREATE TABLE password_reset (
  tenant_id   text NOT NULL REFERENCES tenant (id),
  id          uuid NOT NULL,
  user_id     uuid NOT NULL,
  token_hash  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX password_reset_by_user ON password_reset (tenant_id, user_id, created_at DESC);

ALTER TABLE password_reset ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_reset FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON password_reset
  USING (tenant_id = otklik_current_tenant())
  WITH CHECK (tenant_id = otklik_current_tenant());

GRANT SELECT, INSERT, UPDATE ON password_reset TO ${app_role};
