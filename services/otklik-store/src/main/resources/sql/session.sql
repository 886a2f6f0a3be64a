-- Statements of SessionStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-session
INSERT INTO user_session (tenant_id, id, user_id, method, amr, user_agent, ip, created_at, last_seen_at, expires_at)
VALUES (:tenant_id, :id, :user_id, :method, :amr, :user_agent, :ip, :now, :now, :expires_at)

-- name: live-sessions
SELECT id, method, amr, user_agent, ip, created_at, last_seen_at, expires_at
  FROM user_session
 WHERE tenant_id = :tenant_id AND user_id = :user_id AND revoked_at IS NULL AND expires_at > :now
 ORDER BY last_seen_at DESC
 LIMIT 200

-- One statement ends a set of sessions: the rows and every live refresh token of their families.
-- :ids null means all of the user's sessions; :keep spares one (the caller's own, say).
-- name: revoke-sessions
WITH ended AS (
  UPDATE user_session SET revoked_at = :now, revoked_reason = :reason
   WHERE tenant_id = :tenant_id AND user_id = :user_id AND revoked_at IS NULL
     AND (:ids::uuid[] IS NULL OR id = ANY(:ids::uuid[]))
     AND (:keep::uuid IS NULL OR id <> :keep::uuid)
  RETURNING id
), tokens AS (
  UPDATE refresh_token SET revoked_at = :now
   WHERE tenant_id = :tenant_id AND user_id = :user_id AND revoked_at IS NULL
     AND (family_id IN (SELECT id FROM ended)
          -- tokens from before sessions existed have no row; "all" ends them too
          OR (:ids::uuid[] IS NULL AND family_id <> coalesce(:keep::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
              AND NOT EXISTS (SELECT 1 FROM user_session s WHERE s.tenant_id = :tenant_id AND s.id = family_id)))
  RETURNING 1
)
SELECT id FROM ended

-- name: revoked-since
SELECT id, revoked_at FROM user_session
 WHERE tenant_id = :tenant_id AND revoked_at IS NOT NULL AND revoked_at > :since
