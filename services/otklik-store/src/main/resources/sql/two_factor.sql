-- Statements of TwoFactorStore. Every one runs inside TenantTransactions.inTenant.

-- name: find-totp
SELECT user_id, secret, key_id, algorithm, digits, period_seconds, created_at, confirmed_at, last_used_step
  FROM user_totp
 WHERE tenant_id = :tenant_id AND user_id = :user_id

-- A new enrolment, or a fresh secret for one not yet confirmed; a confirmed one is left alone
-- (no row returned).
-- name: start-totp
INSERT INTO user_totp (tenant_id, user_id, secret, key_id, algorithm, digits, period_seconds, created_at)
VALUES (:tenant_id, :user_id, :secret, :key_id, :algorithm, :digits, :period_seconds, :now)
ON CONFLICT (tenant_id, user_id) DO UPDATE
   SET secret = EXCLUDED.secret, key_id = EXCLUDED.key_id, algorithm = EXCLUDED.algorithm,
       digits = EXCLUDED.digits, period_seconds = EXCLUDED.period_seconds, created_at = EXCLUDED.created_at,
       last_used_step = NULL
 WHERE user_totp.confirmed_at IS NULL
RETURNING user_id

-- Confirms a pending enrolment with the step of the code that proved it.
-- name: confirm-totp
UPDATE user_totp SET confirmed_at = :now, last_used_step = :step
 WHERE tenant_id = :tenant_id AND user_id = :user_id AND confirmed_at IS NULL
   AND (last_used_step IS NULL OR last_used_step < :step)

-- Spends the step of an accepted code: only a later step than the last one used succeeds, so of
-- two requests with the same code exactly one gets the row.
-- name: use-step
UPDATE user_totp SET last_used_step = :step
 WHERE tenant_id = :tenant_id AND user_id = :user_id AND confirmed_at IS NOT NULL
   AND (last_used_step IS NULL OR last_used_step < :step)

-- name: delete-totp
DELETE FROM user_totp WHERE tenant_id = :tenant_id AND user_id = :user_id

-- name: delete-recovery-codes
DELETE FROM user_recovery_code WHERE tenant_id = :tenant_id AND user_id = :user_id

-- name: insert-recovery-codes
INSERT INTO user_recovery_code (tenant_id, id, user_id, code_hash, created_at)
SELECT :tenant_id, gen_random_uuid(), :user_id, h, :now FROM unnest(:code_hashes::text[]) AS h

-- Spends one unused code of a confirmed enrolment.
-- name: use-recovery-code
UPDATE user_recovery_code c SET used_at = :now
 WHERE c.tenant_id = :tenant_id AND c.user_id = :user_id AND c.code_hash = :code_hash AND c.used_at IS NULL
   AND EXISTS (SELECT 1 FROM user_totp t WHERE t.tenant_id = c.tenant_id AND t.user_id = c.user_id
                 AND t.confirmed_at IS NOT NULL)

-- name: count-recovery-codes
SELECT count(*) FILTER (WHERE used_at IS NULL) AS unused FROM user_recovery_code
 WHERE tenant_id = :tenant_id AND user_id = :user_id
