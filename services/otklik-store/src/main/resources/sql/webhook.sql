-- Statements of WebhookStore (V014). Every one runs inside TenantTransactions.inTenant.

-- name: insert-endpoint
INSERT INTO webhook_endpoint (tenant_id, id, url, description, event_types, enabled, source, config_key, secret,
                              secret_env, created_at, updated_at)
VALUES (:tenant_id, :id, :url, :description, :event_types, :enabled, :source, :config_key, :secret, :secret_env,
        :now, :now)
RETURNING *

-- name: find-endpoint
SELECT * FROM webhook_endpoint WHERE tenant_id = :tenant_id AND id = :id

-- name: find-config-endpoint
SELECT * FROM webhook_endpoint WHERE tenant_id = :tenant_id AND config_key = :config_key

-- name: list-endpoints
WITH matching AS (SELECT * FROM webhook_endpoint WHERE tenant_id = :tenant_id)
SELECT c.total, p.*
  FROM (SELECT count(*) AS total FROM matching) c
  LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY created_at, id OFFSET :offset LIMIT :limit) p ON true

-- Re-enabling forgets the failure streak and the reason it was switched off.
-- name: update-endpoint
UPDATE webhook_endpoint SET url = :url, description = :description, event_types = :event_types, enabled = :enabled,
       disabled_reason = CASE WHEN :enabled::boolean THEN NULL ELSE coalesce(:disabled_reason::text, disabled_reason) END,
       failing_since = CASE WHEN :enabled::boolean AND NOT enabled THEN NULL ELSE failing_since END,
       secret_env = coalesce(:secret_env::text, secret_env),
       version = version + 1, updated_at = :now
 WHERE tenant_id = :tenant_id AND id = :id AND (:version::integer IS NULL OR version = :version::integer)
RETURNING *

-- name: rotate-secret
UPDATE webhook_endpoint SET previous_secret = secret, previous_secret_until = :overlap_until, secret = :secret,
       version = version + 1, updated_at = :now
 WHERE tenant_id = :tenant_id AND id = :id AND source = 'api'
RETURNING *

-- name: delete-endpoint
DELETE FROM webhook_endpoint WHERE tenant_id = :tenant_id AND id = :id RETURNING id

-- name: insert-delivery
INSERT INTO webhook_delivery (tenant_id, id, endpoint_id, kind, event_sequence, ticket_id, payload, next_attempt_at,
                              created_at)
VALUES (:tenant_id, :id, :endpoint_id, :kind, NULL, NULL, :payload, :now, :now)

-- Endpoints of the tenant with at least one due, unclaimed delivery.
-- name: due-endpoints
SELECT DISTINCT d.endpoint_id FROM webhook_delivery d
  JOIN webhook_endpoint e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id AND e.enabled
 WHERE d.tenant_id = :tenant_id AND d.state = 'pending' AND d.next_attempt_at <= :now
   AND (d.claimed_until IS NULL OR d.claimed_until <= :now)

-- Claims due rows of one endpoint for a lease. A row waits while an earlier row of the same
-- request for the same endpoint is pending (claimed or not): events of one request go in order.
-- name: claim-due
UPDATE webhook_delivery d SET claimed_until = :lease_until, attempts = d.attempts + 1
 WHERE d.tenant_id = :tenant_id AND d.id IN (
   SELECT w.id FROM webhook_delivery w
    WHERE w.tenant_id = :tenant_id AND w.endpoint_id = :endpoint_id AND w.state = 'pending'
      AND w.next_attempt_at <= :now AND (w.claimed_until IS NULL OR w.claimed_until <= :now)
      AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                       WHERE e.tenant_id = w.tenant_id AND e.endpoint_id = w.endpoint_id AND e.state = 'pending'
                         AND e.ticket_id = w.ticket_id AND e.event_sequence < w.event_sequence)
    ORDER BY w.event_sequence NULLS LAST, w.created_at
    LIMIT :limit
      FOR UPDATE SKIP LOCKED)
RETURNING d.id, d.endpoint_id, d.kind, d.event_sequence, d.ticket_id, d.payload, d.attempts, d.created_at

-- name: insert-attempt
INSERT INTO webhook_attempt (tenant_id, id, delivery_id, endpoint_id, attempt, url, request_body, response_status,
                             response_body, error, latency_ms, attempted_at)
VALUES (:tenant_id, :id, :delivery_id, :endpoint_id, :attempt, :url, :request_body, :response_status,
        :response_body, :error, :latency_ms, :now)

-- name: finish-delivery
UPDATE webhook_delivery SET state = :state, next_attempt_at = :next_attempt_at, claimed_until = NULL,
       last_status = :status, last_error = :error,
       finished_at = CASE WHEN :state::text = 'pending' THEN NULL ELSE :now::timestamptz END
 WHERE tenant_id = :tenant_id AND id = :id

-- name: endpoint-succeeded
UPDATE webhook_endpoint SET failing_since = NULL, last_success_at = :now
 WHERE tenant_id = :tenant_id AND id = :id

-- name: endpoint-failed
UPDATE webhook_endpoint SET failing_since = coalesce(failing_since, :now)
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING failing_since, enabled

-- name: disable-endpoint
UPDATE webhook_endpoint SET enabled = false, disabled_reason = :reason, version = version + 1, updated_at = :now
 WHERE tenant_id = :tenant_id AND id = :id AND enabled
RETURNING id, url

-- name: tenant-admins
SELECT email FROM app_user WHERE tenant_id = :tenant_id AND enabled AND role = 'tenant_admin' ORDER BY email

-- name: list-deliveries
WITH matching AS (SELECT * FROM webhook_delivery WHERE tenant_id = :tenant_id AND endpoint_id = :endpoint_id)
SELECT c.total, p.id, p.kind, p.event_sequence, p.ticket_id, p.state, p.attempts, p.next_attempt_at, p.last_status,
       p.last_error, p.created_at, p.finished_at
  FROM (SELECT count(*) AS total FROM matching) c
  LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY created_at DESC, id DESC OFFSET :offset LIMIT :limit) p ON true

-- name: list-attempts
WITH matching AS (SELECT * FROM webhook_attempt WHERE tenant_id = :tenant_id AND endpoint_id = :endpoint_id)
SELECT c.total, p.id, p.delivery_id, p.attempt, p.url, p.request_body, p.response_status, p.response_body, p.error,
       p.latency_ms, p.attempted_at
  FROM (SELECT count(*) AS total FROM matching) c
  LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY attempted_at DESC, id DESC OFFSET :offset LIMIT :limit) p ON true

-- Manual redelivery: the same message (same webhook-id) goes again, now.
-- name: redeliver-one
UPDATE webhook_delivery SET state = 'pending', next_attempt_at = :now, claimed_until = NULL, finished_at = NULL
 WHERE tenant_id = :tenant_id AND endpoint_id = :endpoint_id AND id = :id
RETURNING id

-- name: redeliver-range
UPDATE webhook_delivery SET state = 'pending', next_attempt_at = :now, claimed_until = NULL, finished_at = NULL
 WHERE tenant_id = :tenant_id AND endpoint_id = :endpoint_id AND created_at >= :from AND created_at < :to
   AND state <> 'pending'
RETURNING id

-- name: delete-old-attempts
DELETE FROM webhook_attempt WHERE tenant_id = :tenant_id AND attempted_at < :before

-- name: delete-old-deliveries
DELETE FROM webhook_delivery WHERE tenant_id = :tenant_id AND state <> 'pending' AND finished_at < :before

-- A config endpoint as its tenant file says now. Switching it off in the file switches it off;
-- switching it on again re-enables it only if the file (not a 410 or five failing days) had
-- switched it off: those need an admin to re-enable it.
-- name: sync-config-endpoint
UPDATE webhook_endpoint SET url = :url, description = :description, event_types = :event_types,
       secret_env = :secret_env,
       enabled = CASE WHEN NOT :enabled::boolean THEN false
                      WHEN disabled_reason IN ('disabled in tenant config', 'removed from tenant config') THEN true
                      ELSE enabled END,
       disabled_reason = CASE WHEN NOT :enabled::boolean THEN 'disabled in tenant config'
                      WHEN disabled_reason IN ('disabled in tenant config', 'removed from tenant config') THEN NULL
                      ELSE disabled_reason END,
       version = version + 1, updated_at = :now
 WHERE tenant_id = :tenant_id AND config_key = :config_key
   AND (url <> :url OR description IS DISTINCT FROM :description OR event_types <> :event_types
        OR secret_env IS DISTINCT FROM :secret_env OR enabled <> :enabled::boolean
        AND (NOT :enabled::boolean OR disabled_reason IN ('disabled in tenant config', 'removed from tenant config')))
RETURNING *

-- name: disable-removed-config-endpoints
UPDATE webhook_endpoint SET enabled = false, disabled_reason = 'removed from tenant config', version = version + 1,
       updated_at = :now
 WHERE tenant_id = :tenant_id AND source = 'config' AND enabled AND NOT (config_key = ANY (:keys::text[]))
RETURNING id
