-- Statements of IdempotencyStore. Every one runs inside TenantTransactions.inTenant.

-- Forgets the caller's keys that are past their lifetime (bounded by the primary key's prefix).
-- name: delete-expired
DELETE FROM idempotency_key
 WHERE tenant_id = :tenant_id AND principal_id = :principal_id AND created_at < :expired_before

-- Returns a row only when this request is the first with the key; a concurrent twin waits on
-- the primary key until this one commits and then returns nothing.
-- name: claim
INSERT INTO idempotency_key (tenant_id, principal_id, idem_key, request_hash, created_at)
VALUES (:tenant_id, :principal_id, :idem_key, :request_hash, :now)
ON CONFLICT (tenant_id, principal_id, idem_key) DO NOTHING
RETURNING idem_key

-- name: find
SELECT request_hash, response_status, response_headers, response_body
  FROM idempotency_key
 WHERE tenant_id = :tenant_id AND principal_id = :principal_id AND idem_key = :idem_key

-- name: complete
UPDATE idempotency_key
   SET response_status = :status, response_headers = :headers, response_body = :body, completed_at = :now
 WHERE tenant_id = :tenant_id AND principal_id = :principal_id AND idem_key = :idem_key
   AND response_status IS NULL

-- name: release
DELETE FROM idempotency_key
 WHERE tenant_id = :tenant_id AND principal_id = :principal_id AND idem_key = :idem_key
   AND response_status IS NULL
