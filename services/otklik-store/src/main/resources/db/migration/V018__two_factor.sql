-- Two-factor sign-in (TOTP, RFC 6238) for accounts with a password, its recovery codes, and the
-- sign-in log that throttling counts and tenant admins audit. Follows V002: row-level security
-- ENABLEd and FORCEd, keyed on otklik_current_tenant(), and composite foreign keys
-- (tenant_id, ...) so a row can never point at another tenant's account.

-- One TOTP enrolment per account. A row without confirmed_at is an enrolment started but not
-- yet proven with a code: it does not count as two-factor sign-in until it is confirmed.
-- The seed is never stored in clear: secret is AES-256-GCM (nonce || ciphertext || tag) under a
-- node key, authenticated together with tenant and user id; key_id names that key.
-- last_used_step is the RFC 6238 time step of the last accepted code: a code of that step or an
-- earlier one is refused, so a code works once. It only ever grows (one conditional UPDATE).
CREATE TABLE user_totp (
  tenant_id      text NOT NULL REFERENCES tenant (id),
  user_id        uuid NOT NULL,
  secret         bytea NOT NULL CHECK (length(secret) BETWEEN 28 AND 200),
  key_id         text NOT NULL CHECK (btrim(key_id) <> ''),
  algorithm      text NOT NULL DEFAULT 'SHA1' CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
  digits         smallint NOT NULL DEFAULT 6 CHECK (digits BETWEEN 6 AND 8),
  period_seconds smallint NOT NULL DEFAULT 30 CHECK (period_seconds > 0),
  created_at     timestamptz NOT NULL,
  confirmed_at   timestamptz,
  last_used_step bigint,
  PRIMARY KEY (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE,
  CHECK (confirmed_at IS NULL OR confirmed_at >= created_at)
);

-- Single-use recovery codes. Only a keyed hash (HMAC-SHA256 under a node key, over tenant, user
-- and code) is stored; a code is spent by setting used_at with one conditional UPDATE.
CREATE TABLE user_recovery_code (
  tenant_id  text NOT NULL REFERENCES tenant (id),
  id         uuid NOT NULL,
  user_id    uuid NOT NULL,
  code_hash  text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, user_id, code_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
);

-- The sign-in log: every password, TOTP and recovery-code attempt with its outcome, every
-- lock-out, and every change to a person's second factor (who did it: actor_id). Throttling
-- counts recent failures here (so the count is the cluster's, and survives restarts); tenant
-- admins read it as the audit. Rows are never updated. email is the address as typed (lower
-- case), so attempts on addresses that have no account are counted and shown too.
CREATE TABLE sign_in_event (
  tenant_id    text NOT NULL REFERENCES tenant (id),
  id           uuid NOT NULL,
  at           timestamptz NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('password', 'totp', 'recovery-code',
                 'two-factor-enabled', 'two-factor-disabled', 'two-factor-reset', 'recovery-codes-renewed')),
  outcome      text NOT NULL CHECK (outcome IN ('success', 'failure', 'refused', 'locked-out')),
  -- why, for failures and refusals: wrong-password, wrong-code, reused-code, locked, password-disabled, ...
  reason       text CHECK (length(reason) <= 100),
  user_id      uuid,
  email        text CHECK (email = lower(email) AND length(email) <= 320),
  ip           text CHECK (length(ip) <= 64),
  actor_id     uuid,
  locked_until timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id),
  CHECK ((outcome = 'locked-out') = (locked_until IS NOT NULL))
);
CREATE INDEX sign_in_event_by_time ON sign_in_event (tenant_id, at DESC);
CREATE INDEX sign_in_event_by_user ON sign_in_event (tenant_id, user_id, at DESC) WHERE user_id IS NOT NULL;
CREATE INDEX sign_in_event_password_by_email ON sign_in_event (tenant_id, email, at DESC) WHERE kind = 'password';
CREATE INDEX sign_in_event_password_by_ip ON sign_in_event (tenant_id, ip, at DESC) WHERE kind = 'password';

-- Lock-outs in force: what the throttle looks up before it does any work. scope says what is
-- locked: 'password-account' (subject: the e-mail as typed, lower case, whether or not it has an
-- account, so a lock-out does not tell which addresses exist), 'password-ip' (subject: the
-- client address) or 'second-factor' (subject: the user id). lifted_at ends one early (a tenant
-- admin's reset). Each row has its 'locked-out' event in sign_in_event.
CREATE TABLE sign_in_lockout (
  tenant_id    text NOT NULL REFERENCES tenant (id),
  id           uuid NOT NULL,
  scope        text NOT NULL CHECK (scope IN ('password-account', 'password-ip', 'second-factor')),
  subject      text NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 320),
  user_id      uuid,
  failures     integer NOT NULL CHECK (failures > 0),
  locked_at    timestamptz NOT NULL,
  locked_until timestamptz NOT NULL,
  lifted_at    timestamptz,
  lifted_by    uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id),
  CHECK (locked_until > locked_at)
);
CREATE INDEX sign_in_lockout_by_subject ON sign_in_lockout (tenant_id, scope, subject, locked_until DESC);
CREATE INDEX sign_in_lockout_by_user ON sign_in_lockout (tenant_id, user_id) WHERE user_id IS NOT NULL;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['user_totp', 'user_recovery_code', 'sign_in_event', 'sign_in_lockout'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON user_totp TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON user_recovery_code TO ${app_role};
-- The log is append-only for the application.
GRANT SELECT, INSERT ON sign_in_event TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON sign_in_lockout TO ${app_role};
