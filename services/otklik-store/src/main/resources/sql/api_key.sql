-- Statements of ApiKeyStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-key
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
-- name: revoke-key
UPDATE api_key SET revoked_at = coalesce(revoked_at, :now)
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING id, tenant_id, name, key_prefix, role, created_by, created_at, revoked_at
