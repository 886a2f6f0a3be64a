-- Statements of TicketStore. Every one runs inside TenantTransactions.inTenant, and every one
-- that reads a request by number also takes the caller's organisation scope (null for staff).

-- The row lock on the counter serialises creation per tenant and year until commit, which is
-- what makes the numbers gapless: a rolled-back creation gives its number back.
-- name: next-number
INSERT INTO ticket_number_counter (tenant_id, year, last_value) VALUES (:tenant_id, :year, 1)
ON CONFLICT (tenant_id, year) DO UPDATE SET last_value = ticket_number_counter.last_value + 1
RETURNING last_value

-- name: next-event-sequence
INSERT INTO tenant_event_counter (tenant_id, last_sequence) VALUES (:tenant_id, 1)
ON CONFLICT (tenant_id) DO UPDATE SET last_sequence = tenant_event_counter.last_sequence + 1
RETURNING last_sequence

-- name: find-user
SELECT id, role, organisation_id, enabled FROM app_user WHERE tenant_id = :tenant_id AND id = :id

-- name: insert-ticket
INSERT INTO ticket (id, tenant_id, number, number_year, number_seq, channel, status, kind, category, priority,
                    severity, service, subject, description, form, organisation_id, requester_id, created_by,
                    assignee_id, planned_date, callback_due_at, config_version, created_at, updated_at)
VALUES (:id, :tenant_id, :number, :number_year, :number_seq, :channel, 'new', :kind, :category, :priority,
        :severity, :service, :subject, :description, :form, :organisation_id, :requester_id, :created_by,
        :assignee_id, :planned_date, :callback_due_at,
        (SELECT current_version FROM tenant WHERE id = :tenant_id), :now, :now)
RETURNING *

-- name: find-ticket
SELECT * FROM ticket
 WHERE tenant_id = :tenant_id AND number = :number
   AND (:organisation_id::uuid IS NULL OR organisation_id = :organisation_id::uuid)

-- name: lock-ticket
SELECT * FROM ticket
 WHERE tenant_id = :tenant_id AND number = :number
   AND (:organisation_id::uuid IS NULL OR organisation_id = :organisation_id::uuid)
   FOR UPDATE

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

-- name: insert-event
INSERT INTO ticket_event (tenant_id, sequence, ticket_id, type, actor_id, public, before, after, created_at)
VALUES (:tenant_id, :sequence, :ticket_id, :type, :actor_id, :public, :before, :after, :now)

-- name: insert-outbox
INSERT INTO outbox (id, tenant_id, event_sequence, kind, payload, created_at)
VALUES (:id, :tenant_id, :event_sequence, :kind, :payload, :now)

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
-- name: list-tickets
WITH matched AS (
  SELECT t.* FROM ticket t
   WHERE t.tenant_id = :tenant_id
     AND (:scope_organisation_id::uuid IS NULL OR t.organisation_id = :scope_organisation_id::uuid)
     AND (:statuses::text[] IS NULL OR t.status = ANY(:statuses::text[]))
     AND (:priorities::text[] IS NULL OR t.priority = ANY(:priorities::text[]))
     AND (:assignee_id::uuid IS NULL OR t.assignee_id = :assignee_id::uuid)
     AND (:organisation_id::uuid IS NULL OR t.organisation_id = :organisation_id::uuid)
     AND (:service::text IS NULL OR t.service = :service::text)
     AND (:created_from::timestamptz IS NULL OR t.created_at >= :created_from::timestamptz)
     AND (:created_to::timestamptz IS NULL OR t.created_at < :created_to::timestamptz)
), ranked AS (
  SELECT m.*, row_number() OVER (ORDER BY
      CASE WHEN :sort_key::text = 'created' AND NOT :descending::boolean THEN m.created_at END ASC,
      CASE WHEN :sort_key::text = 'created' AND :descending::boolean THEN m.created_at END DESC,
      CASE WHEN :sort_key::text = 'updated' AND NOT :descending::boolean THEN m.updated_at END ASC,
      CASE WHEN :sort_key::text = 'updated' AND :descending::boolean THEN m.updated_at END DESC,
      CASE WHEN :sort_key::text = 'priority' AND NOT :descending::boolean
           THEN array_position(:priority_order::text[], m.priority) END ASC,
      CASE WHEN :sort_key::text = 'priority' AND :descending::boolean
           THEN array_position(:priority_order::text[], m.priority) END DESC,
      CASE WHEN :sort_key::text = 'planned' AND NOT :descending::boolean THEN m.planned_date END ASC,
      CASE WHEN :sort_key::text = 'planned' AND :descending::boolean THEN m.planned_date END DESC,
      m.number_year DESC, m.number_seq DESC) AS ord
    FROM matched m
)
SELECT c.total, r.*
  FROM (SELECT count(*) AS total FROM matched) c
  LEFT JOIN ranked r ON r.ord > :offset AND r.ord <= :offset + :limit
 ORDER BY r.ord

-- name: update-form
UPDATE ticket SET form = :form, updated_at = :now, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING *

-- name: count-events-of-type
SELECT count(*) AS n FROM ticket_event
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND type = :type
