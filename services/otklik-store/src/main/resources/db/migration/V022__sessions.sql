-- Sessions: one row per sign-in, the unit people list and revoke ("signed in on 3 devices").
-- A session's refresh tokens are the family of RefreshTokenStore (family_id = session id), and
-- its access tokens carry the id as their sid claim, so revoking the row, the family and the
-- sid together ends every way the session could act. Follows V001: row-level security ENABLEd
-- and FORCEd, keyed on otklik_current_tenant().
CREATE TABLE user_session (
  tenant_id      text NOT NULL REFERENCES tenant (id),
  id             uuid NOT NULL,
  user_id        uuid NOT NULL,
  -- how the person proved who they are: password, password+totp, oidc:<provider>, ...
  method         text NOT NULL CHECK (btrim(method) <> ''),
  amr            text[] NOT NULL DEFAULT '{}',
  user_agent     text CHECK (length(user_agent) <= 512),
  ip             text CHECK (length(ip) <= 64),
  created_at     timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('sign-out', 'revoked', 'password-changed', 'password-reset',
                                                'account-disabled', 'refresh-reused', 'two-factor-changed')),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE,
  CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX user_session_live_by_user ON user_session (tenant_id, user_id) WHERE revoked_at IS NULL;
-- Nodes that start read the recent revocations to refuse access tokens still in their lifetime.
CREATE INDEX user_session_recently_revoked ON user_session (tenant_id, revoked_at) WHERE revoked_at IS NOT NULL;

ALTER TABLE user_session ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_session FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_session
  USING (tenant_id = otklik_current_tenant())
  WITH CHECK (tenant_id = otklik_current_tenant());

GRANT SELECT, INSERT, UPDATE ON user_session TO ${app_role};
