-- Statements of WatcherStore (V021). Every one runs inside TenantTransactions.inTenant, after
-- the request was found (or locked) with the caller's scope, so :ticket_id is one they may see.

-- name: list-watchers
SELECT w.user_id, u.display_name, w.added_by, w.added_at
  FROM ticket_watcher w
  JOIN app_user u ON u.tenant_id = w.tenant_id AND u.id = w.user_id
 WHERE w.tenant_id = :tenant_id AND w.ticket_id = :ticket_id
 ORDER BY w.added_at, lower(u.display_name), w.user_id

-- The same by the request's number (the caller's scope is checked by the find sent with it).
-- name: list-watchers-of-number
SELECT w.user_id, u.display_name, w.added_by, w.added_at
  FROM ticket_watcher w
  JOIN ticket t ON t.tenant_id = w.tenant_id AND t.id = w.ticket_id
  JOIN app_user u ON u.tenant_id = w.tenant_id AND u.id = w.user_id
 WHERE w.tenant_id = :tenant_id AND t.number = :number
 ORDER BY w.added_at, lower(u.display_name), w.user_id

-- Who may watch a request: enabled customers who are members of its organisation.
-- name: find-candidate
SELECT u.id, u.display_name
  FROM app_user u
  JOIN organisation_membership m ON m.tenant_id = u.tenant_id AND m.user_id = u.id
 WHERE u.tenant_id = :tenant_id AND u.id = :user_id AND m.organisation_id = :organisation_id
   AND u.enabled AND u.role = 'customer'

-- The candidates not yet watching, by name.
-- name: list-candidates
SELECT u.id, u.display_name, u.email
  FROM app_user u
  JOIN organisation_membership m ON m.tenant_id = u.tenant_id AND m.user_id = u.id
 WHERE u.tenant_id = :tenant_id AND m.organisation_id = :organisation_id AND u.enabled AND u.role = 'customer'
   AND NOT EXISTS (SELECT 1 FROM ticket_watcher w
                    WHERE w.tenant_id = u.tenant_id AND w.ticket_id = :ticket_id AND w.user_id = u.id)
 ORDER BY lower(u.display_name), u.id
 LIMIT :limit

-- Adding twice is a no-op: no row comes back, and no event is written.
-- name: insert-watcher
INSERT INTO ticket_watcher (tenant_id, ticket_id, user_id, added_by, added_at)
VALUES (:tenant_id, :ticket_id, :user_id, :added_by, :now)
ON CONFLICT DO NOTHING
RETURNING user_id

-- name: delete-watcher
DELETE FROM ticket_watcher w
 USING app_user u
 WHERE w.tenant_id = :tenant_id AND w.ticket_id = :ticket_id AND w.user_id = :user_id
   AND u.tenant_id = w.tenant_id AND u.id = w.user_id
RETURNING w.user_id, u.display_name
