-- Statements of TicketStore. Every one runs inside TenantTransactions.inTenant, and every one
-- that reads a request by number also takes the caller's scope: for a customer the organisations
-- they belong to (:scope_organisations) and their own id (:scope_user), whose watched requests
-- (V021) they see too; both null for staff.

-- A new request, numbered as it is inserted. The row lock on the number counter serialises
-- numbering per tenant and year until commit, which is what makes the numbers gapless: a
-- rolled-back creation gives its number back. TicketStore.create sends this, the request's clocks
-- and timers, announce-created and the COMMIT together (V016: the counters' locks are held while
-- PostgreSQL runs them, not across round trips), and always in this order, so the number counter
-- is always locked before the event counter.
-- name: number-and-insert
WITH n AS (
  INSERT INTO ticket_number_counter (tenant_id, year, last_value) VALUES (:tenant_id, :year, 1)
  ON CONFLICT (tenant_id, year) DO UPDATE SET last_value = ticket_number_counter.last_value + 1
  RETURNING last_value)
INSERT INTO ticket (id, tenant_id, number, number_year, number_seq, channel, status, kind, category, priority,
                    severity, service, subject, description, form, organisation_id, requester_id, created_by,
                    assignee_id, planned_date, callback_due_at, config_version, created_at, updated_at)
SELECT :id::uuid, :tenant_id::text,
       :prefix::text || '-' || :year::integer || '-' || lpad(n.last_value::text, greatest(6, length(n.last_value::text)), '0'),
       :year::integer, n.last_value, :channel::text, 'new', :kind::text, :category::text, :priority::text,
       :severity::text, :service::text, :subject::text, :description::text, :form::jsonb, :organisation_id::uuid,
       :requester_id::uuid, :created_by::uuid, :assignee_id::uuid, :planned_date::date,
       :callback_due_at::timestamptz, :config_version::integer, :now::timestamptz, :now::timestamptz
  FROM n
RETURNING *

-- The 'created' event of the request inserted just before in the transaction, with its outbox
-- row; the number comes from the row.
-- name: announce-created
WITH t AS (
  SELECT id, number FROM ticket WHERE tenant_id = :tenant_id AND id = :id),
s AS (
  INSERT INTO tenant_event_counter (tenant_id, last_sequence) SELECT :tenant_id, 1 FROM t
  ON CONFLICT (tenant_id) DO UPDATE SET last_sequence = tenant_event_counter.last_sequence + 1
  RETURNING last_sequence),
e AS (
  INSERT INTO ticket_event (tenant_id, sequence, ticket_id, type, actor_id, public, before, after, created_at)
  SELECT :tenant_id::text, s.last_sequence, t.id, 'created', :actor_id::uuid, true, NULL,
         :after::jsonb || jsonb_build_object('number', t.number), :now::timestamptz
    FROM s, t
  RETURNING sequence)
INSERT INTO outbox (id, tenant_id, event_sequence, kind, payload, created_at)
SELECT :outbox_id::uuid, :tenant_id::text, e.sequence, 'ticket.created',
       :payload::jsonb || jsonb_build_object('sequence', e.sequence, 'number', t.number), :now::timestamptz
  FROM e, t
RETURNING event_sequence

-- One event with its outbox row, in one round trip. The per-tenant counter's row lock orders
-- commits, so sequence order is commit order (DESIGN.md, "How data flows" 2); it is taken as
-- late as the change allows and held for this statement and the commit.
-- name: append-event
WITH s AS (
  INSERT INTO tenant_event_counter (tenant_id, last_sequence) VALUES (:tenant_id, 1)
  ON CONFLICT (tenant_id) DO UPDATE SET last_sequence = tenant_event_counter.last_sequence + 1
  RETURNING last_sequence),
e AS (
  INSERT INTO ticket_event (tenant_id, sequence, ticket_id, type, actor_id, public, before, after, created_at)
  SELECT :tenant_id::text, s.last_sequence, :ticket_id::uuid, :type::text, :actor_id::uuid, :public::boolean,
         :before::jsonb, :after::jsonb, :now::timestamptz
    FROM s
  RETURNING sequence)
INSERT INTO outbox (id, tenant_id, event_sequence, kind, payload, created_at)
SELECT :outbox_id::uuid, :tenant_id::text, e.sequence, 'ticket.' || :type::text,
       :payload::jsonb || jsonb_build_object('sequence', e.sequence), :now::timestamptz
  FROM e
RETURNING event_sequence,
  -- the request's watchers ride along in the post-commit signal (EventSignal), for customers' visibility
  ARRAY(SELECT w.user_id FROM ticket_watcher w
         WHERE w.tenant_id = :tenant_id AND w.ticket_id = :ticket_id::uuid ORDER BY w.user_id) AS watcher_ids

-- name: find-user
SELECT u.id, u.role, u.organisation_id, u.enabled,
       ARRAY(SELECT m.organisation_id FROM organisation_membership m
              WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id) AS organisation_ids
  FROM app_user u WHERE u.tenant_id = :tenant_id AND u.id = :id

-- name: find-ticket
SELECT * FROM ticket t
 WHERE t.tenant_id = :tenant_id AND t.number = :number
   AND (:scope_organisations::uuid[] IS NULL OR t.organisation_id = ANY(:scope_organisations::uuid[])
        OR EXISTS (SELECT 1 FROM ticket_watcher w
                    WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :scope_user::uuid))

-- name: lock-ticket
SELECT * FROM ticket t
 WHERE t.tenant_id = :tenant_id AND t.number = :number
   AND (:scope_organisations::uuid[] IS NULL OR t.organisation_id = ANY(:scope_organisations::uuid[])
        OR EXISTS (SELECT 1 FROM ticket_watcher w
                    WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :scope_user::uuid))
   FOR UPDATE OF t

-- name: update-triage-fields
UPDATE ticket
   SET category = :category, priority = :priority, severity = :severity, assignee_id = :assignee_id,
       planned_date = :planned_date, updated_at = :now, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING *

-- name: update-status
UPDATE ticket
   SET status = :status, finished_at = :finished_at, updated_at = :now, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING *

-- name: touch-ticket
UPDATE ticket SET updated_at = :now WHERE tenant_id = :tenant_id AND id = :id

-- name: list-events
SELECT * FROM ticket_event
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND (:include_internal::boolean OR public)
   AND sequence > :after_sequence
 ORDER BY sequence
 LIMIT :limit

-- name: insert-comment
INSERT INTO ticket_comment (id, tenant_id, ticket_id, author_id, body, internal, created_at)
VALUES (:id, :tenant_id, :ticket_id, :author_id, :body, :internal, :now)
RETURNING *

-- name: list-comments
SELECT * FROM ticket_comment
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND (:include_internal::boolean OR NOT internal)
 ORDER BY created_at, id

-- name: attachment-bytes
SELECT coalesce(sum(size_bytes), 0) AS total FROM ticket_attachment
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id

-- name: insert-attachment
INSERT INTO ticket_attachment (id, tenant_id, ticket_id, file_name, content_type, size_bytes, content,
                               uploaded_by, created_at)
VALUES (:id, :tenant_id, :ticket_id, :file_name, :content_type, :size_bytes, :content, :uploaded_by, :now)
RETURNING id, file_name, content_type, size_bytes, uploaded_by, created_at

-- name: list-attachments
SELECT id, file_name, content_type, size_bytes, uploaded_by, created_at FROM ticket_attachment
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id
 ORDER BY created_at, id

-- name: find-attachment
SELECT id, file_name, content_type, size_bytes, uploaded_by, created_at, content FROM ticket_attachment
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND id = :id

-- name: insert-worklog
INSERT INTO ticket_worklog (id, tenant_id, ticket_id, author_id, minutes, description, created_at)
VALUES (:id, :tenant_id, :ticket_id, :author_id, :minutes, :description, :now)
RETURNING *

-- name: list-worklog
SELECT * FROM ticket_worklog
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id
 ORDER BY created_at, id

-- One page and the total count (the Page.of shape). Sorting by priority follows the tenant's
-- order of priorities (:priority_order, most urgent first).
-- A page in one round trip: the capped count and the rows. The filters live once in a CTE that
-- is inlined at both uses (NOT MATERIALIZED), so the page reads only its rows through an index
-- on the sort key and the count stops at :count_limit instead of touching the whole tenant.
-- TicketStore puts the ORDER BY of the chosen sort (a fixed list) where /*order*/ stands.
-- name: list-tickets
WITH matched AS NOT MATERIALIZED (
  SELECT t.*, array_position(:priority_order::text[], t.priority) AS priority_rank FROM ticket t
   WHERE t.tenant_id = :tenant_id
     AND (:scope_organisations::uuid[] IS NULL OR t.organisation_id = ANY(:scope_organisations::uuid[])
          OR EXISTS (SELECT 1 FROM ticket_watcher w
                      WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :scope_user::uuid))
     AND (:watcher_id::uuid IS NULL OR EXISTS (SELECT 1 FROM ticket_watcher w
                      WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :watcher_id::uuid))
     AND (:statuses::text[] IS NULL OR t.status = ANY(:statuses::text[]))
     AND (:priorities::text[] IS NULL OR t.priority = ANY(:priorities::text[]))
     AND (:assignee_id::uuid IS NULL OR t.assignee_id = :assignee_id::uuid)
     AND (:organisation_id::uuid IS NULL OR t.organisation_id = :organisation_id::uuid)
     AND (:service::text IS NULL OR t.service = :service::text)
     AND (:created_from::timestamptz IS NULL OR t.created_at >= :created_from::timestamptz)
     AND (:created_to::timestamptz IS NULL OR t.created_at < :created_to::timestamptz)
)
SELECT c.total, p.*
  FROM (SELECT count(*) AS total FROM (SELECT 1 FROM matched LIMIT :count_limit) capped) c
  LEFT JOIN LATERAL (
    SELECT * FROM matched m
     ORDER BY /*order*/, number_year DESC, number_seq DESC
     LIMIT :limit OFFSET :offset) p ON true
 ORDER BY /*order*/, number_year DESC, number_seq DESC

-- name: update-form
UPDATE ticket SET form = :form, updated_at = :now, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING *

-- name: count-events-of-type
SELECT count(*) AS n FROM ticket_event
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND type = :type
