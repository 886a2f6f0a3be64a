-- Statements of TenantStore. Every one runs inside TenantTransactions.inTenant.

-- name: upsert-tenant
INSERT INTO tenant (id, request_number_prefix, enabled)
VALUES (:id, :request_number_prefix, :enabled)
ON CONFLICT (id) DO UPDATE
   SET request_number_prefix = EXCLUDED.request_number_prefix,
       enabled = EXCLUDED.enabled,
       updated_at = now()

-- name: find-config-version
SELECT version FROM tenant_config_version
 WHERE tenant_id = :tenant_id AND content_hash = :content_hash

-- name: insert-config-version
INSERT INTO tenant_config_version (tenant_id, version, content_hash, sla_version, config)
SELECT :tenant_id, coalesce(max(version), 0) + 1, :content_hash, :sla_version, :config
  FROM tenant_config_version WHERE tenant_id = :tenant_id
RETURNING version

-- name: set-current-version
UPDATE tenant SET current_version = :version, updated_at = now() WHERE id = :id

-- name: current-config-version
SELECT current_version FROM tenant WHERE id = :id

-- A tenant whose file was removed stays on record (its requests reference it) but is off.
-- name: disable-tenant
UPDATE tenant SET enabled = false, updated_at = now() WHERE id = :id AND enabled
