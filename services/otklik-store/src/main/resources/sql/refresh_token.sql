-- Statements of RefreshTokenStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-token
INSERT INTO refresh_token (id, tenant_id, user_id, family_id, token_hash, issued_at, expires_at)
VALUES (:id, :tenant_id, :user_id, :family_id, :token_hash, :issued_at, :expires_at)

-- Locks the presented token so that two rotations of it run one after the other: the second
-- then sees the first one's replaced_by and is treated as reuse.
-- name: find-for-rotation
SELECT id, user_id, family_id, expires_at, revoked_at, replaced_by
  FROM refresh_token
 WHERE tenant_id = :tenant_id AND token_hash = :token_hash
   FOR UPDATE

-- name: mark-replaced
UPDATE refresh_token SET revoked_at = :now, replaced_by = :replaced_by
 WHERE tenant_id = :tenant_id AND id = :id

-- name: revoke-family
UPDATE refresh_token SET revoked_at = :now
 WHERE tenant_id = :tenant_id AND family_id = :family_id AND revoked_at IS NULL

-- name: revoke-user
UPDATE refresh_token SET revoked_at = :now
 WHERE tenant_id = :tenant_id AND user_id = :user_id AND revoked_at IS NULL

-- A rotation keeps the family's session (V022) alive; tokens from before sessions have no row.
-- name: touch-session
UPDATE user_session SET last_seen_at = :now, expires_at = :expires_at
 WHERE tenant_id = :tenant_id AND id = :id AND revoked_at IS NULL
RETURNING amr

-- A reused token ends its session, not only the family's tokens.
-- name: end-session
UPDATE user_session SET revoked_at = :now, revoked_reason = 'refresh-reused'
 WHERE tenant_id = :tenant_id AND id = :id AND revoked_at IS NULL
