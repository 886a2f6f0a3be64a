-- Statements of ApiKeyStore. Every one runs inside TenantTransactions.inTenant.

-- The key and its service account (same id) in one statement.
-- name: insert-key
WITH account AS (
  INSERT INTO app_user (id, tenant_id, email, display_name, role, service_account, created_at)
  VALUES (:id, :tenant_id, 'api-key-' || (:id::uuid)::text || '@api-keys.invalid', :name, :role, true, :created_at)
)
INSERT INTO api_key (id, tenant_id, name, key_hash, key_prefix, role, created_by, created_at)
VALUES (:id, :tenant_id, :name, :key_hash, :key_prefix, :role, :created_by, :created_at)
RETURNING id, tenant_id, name, key_prefix, role, created_by, created_at, revoked_at

-- Newest first; total counts every key of the tenant, live or revoked.
-- name: list-keys
SELECT t.total, k.*
  FROM (SELECT count(*) AS total FROM api_key WHERE tenant_id = :tenant_id) t
  LEFT JOIN LATERAL (
    SELECT id, tenant_id, name, key_prefix, role, created_by, created_at, revoked_at
      FROM api_key
     WHERE tenant_id = :tenant_id
     ORDER BY created_at DESC, id
     LIMIT :limit OFFSET :offset) k ON true
 ORDER BY k.created_at DESC, k.id

-- name: find-live-by-hash
SELECT id, tenant_id, name, key_prefix, role, created_by, created_at, revoked_at
  FROM api_key
 WHERE tenant_id = :tenant_id AND key_hash = :key_hash AND revoked_at IS NULL

-- Revoking twice keeps the first time.
-- Revoking also disables the key's service account.
-- name: revoke-key
WITH account AS (
  UPDATE app_user SET enabled = false
   WHERE tenant_id = :tenant_id AND id = :id AND service_account
)
UPDATE api_key SET revoked_at = coalesce(revoked_at, :now)
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING id, tenant_id, name, key_prefix, role, created_by, created_at, revoked_at
