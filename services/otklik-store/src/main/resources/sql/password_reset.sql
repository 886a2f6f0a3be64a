-- Statements of PasswordResetStore. Every one runs inside TenantTransactions.inTenant.

-- name: recent-resets
SELECT count(*) AS n FROM password_reset
 WHERE tenant_id = :tenant_id AND user_id = :user_id AND created_at > :since

-- name: insert-reset
INSERT INTO password_reset (tenant_id, id, user_id, token_hash, created_at, expires_at)
VALUES (:tenant_id, :id, :user_id, :token_hash, :now, :expires_at)

-- A live reset and its user, locked so two confirmations cannot both spend it.
-- name: lock-live-reset
SELECT r.id, r.user_id FROM password_reset r JOIN app_user u ON u.tenant_id = r.tenant_id AND u.id = r.user_id
 WHERE r.tenant_id = :tenant_id AND r.token_hash = :token_hash AND r.used_at IS NULL AND r.expires_at > :now
   AND u.enabled AND NOT u.service_account
   FOR UPDATE OF r

-- name: spend-reset
UPDATE password_reset SET used_at = :now WHERE tenant_id = :tenant_id AND id = :id

-- Spending one link spends the user's other open links too.
-- name: spend-other-resets
UPDATE password_reset SET used_at = :now
 WHERE tenant_id = :tenant_id AND user_id = :user_id AND used_at IS NULL
