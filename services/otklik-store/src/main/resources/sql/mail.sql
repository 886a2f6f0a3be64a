-- Statements of MailStore (V011). Every one runs inside TenantTransactions.inTenant.

-- Claims due rows: a lease (claimed_until) that another node respects until it runs out.
-- name: claim-due
UPDATE mail_outbox m SET claimed_until = :lease_until, attempts = m.attempts + 1
 WHERE m.tenant_id = :tenant_id AND m.id IN (
   SELECT id FROM mail_outbox
    WHERE tenant_id = :tenant_id AND state = 'pending' AND next_attempt_at <= :now
      AND (claimed_until IS NULL OR claimed_until <= :now)
    ORDER BY next_attempt_at, created_at
    LIMIT :limit
      FOR UPDATE SKIP LOCKED)
RETURNING m.id, m.kind, m.event_sequence, m.ticket_id, m.payload, m.attempts, m.created_at

-- name: mark-sent
UPDATE mail_outbox SET state = 'sent', sent_at = :now, message_id = :message_id, recipients = :recipients,
       claimed_until = NULL, last_error = NULL
 WHERE tenant_id = :tenant_id AND id = :id

-- name: mark-skipped
UPDATE mail_outbox SET state = 'skipped', last_error = :reason, claimed_until = NULL
 WHERE tenant_id = :tenant_id AND id = :id

-- name: mark-retry
UPDATE mail_outbox SET state = :state, last_error = :error, next_attempt_at = :next_attempt_at, claimed_until = NULL
 WHERE tenant_id = :tenant_id AND id = :id

-- name: insert-direct
INSERT INTO mail_outbox (id, tenant_id, kind, ticket_id, payload, next_attempt_at, created_at)
VALUES (:id, :tenant_id, :kind, :ticket_id, :payload, :now, :now)

-- name: list-outbox
SELECT id, kind, state, attempts, message_id, recipients, last_error, ticket_id, created_at, sent_at
  FROM mail_outbox WHERE tenant_id = :tenant_id ORDER BY created_at, id

-- The request a notification is about, with the people it may go to.
-- name: ticket-context
SELECT t.id, t.number, t.subject, t.status, t.channel, t.created_at, t.callback_due_at,
       r.id AS requester_id, r.email AS requester_email, r.display_name AS requester_name,
       r.locale AS requester_locale, r.enabled AS requester_enabled,
       (o.user_id IS NOT NULL) AS requester_opted_out,
       a.email AS assignee_email, a.display_name AS assignee_name, a.locale AS assignee_locale
  FROM ticket t
  JOIN app_user r ON r.tenant_id = t.tenant_id AND r.id = t.requester_id
  LEFT JOIN app_user a ON a.tenant_id = t.tenant_id AND a.id = t.assignee_id
  LEFT JOIN mail_opt_out o ON o.tenant_id = t.tenant_id AND o.user_id = t.requester_id
 WHERE t.tenant_id = :tenant_id AND t.id = :ticket_id

-- A watcher a request's mail also goes to (V021 mail_outbox rows with payload.recipientId): their
-- address, language and opt-out, and whether they still watch the request.
-- name: recipient-context
SELECT u.email, u.display_name, u.locale, u.enabled, (o.user_id IS NOT NULL) AS opted_out,
       EXISTS (SELECT 1 FROM ticket_watcher w
                WHERE w.tenant_id = u.tenant_id AND w.ticket_id = :ticket_id AND w.user_id = u.id) AS watching
  FROM app_user u
  LEFT JOIN mail_opt_out o ON o.tenant_id = u.tenant_id AND o.user_id = u.id
 WHERE u.tenant_id = :tenant_id AND u.id = :user_id

-- name: event-context
SELECT e.type, e.public, e.after, e.before, e.created_at, u.role AS actor_role, u.display_name AS actor_name
  FROM ticket_event e LEFT JOIN app_user u ON u.tenant_id = e.tenant_id AND u.id = e.actor_id
 WHERE e.tenant_id = :tenant_id AND e.sequence = :sequence

-- Enabled coordinators and tenant admins: who hears of an SLA risk on an unassigned request.
-- name: staff-supervisors
SELECT email, display_name, locale FROM app_user
 WHERE tenant_id = :tenant_id AND enabled AND role IN ('coordinator', 'tenant_admin') ORDER BY email

-- The Message-IDs of the request's thread, oldest first (what the customer wrote, what we sent).
-- name: thread-message-ids
SELECT message_id FROM (
  SELECT message_id, received_at AS at FROM inbound_mail
   WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND message_id IS NOT NULL
  UNION ALL
  SELECT message_id, sent_at AS at FROM mail_outbox
   WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND message_id IS NOT NULL AND state = 'sent') m
 ORDER BY at

-- name: notice-context
SELECT n.kind, n.title_ru, n.body_ru, n.title_en, n.body_en, u.email, u.display_name, u.locale, u.enabled,
       (o.user_id IS NOT NULL) AS opted_out
  FROM mass_notice n
  JOIN app_user u ON u.tenant_id = n.tenant_id AND u.id = :user_id
  LEFT JOIN mail_opt_out o ON o.tenant_id = u.tenant_id AND o.user_id = u.id
 WHERE n.tenant_id = :tenant_id AND n.id = :notice_id

-- name: notice-delivered
UPDATE mass_notice_recipient SET delivery_state = :state
 WHERE tenant_id = :tenant_id AND notice_id = :notice_id AND user_id = :user_id

-- name: insert-inbound
INSERT INTO inbound_mail (id, tenant_id, dedup_key, message_id, source, raw, size_bytes, sender, subject, state,
                          received_at)
VALUES (:id, :tenant_id, :dedup_key, :message_id, :source, :raw, :size_bytes, :sender, :subject, 'received', :now)
ON CONFLICT (tenant_id, dedup_key) DO NOTHING
RETURNING id

-- name: find-inbound-by-key
SELECT id, state, outcome, ticket_id FROM inbound_mail WHERE tenant_id = :tenant_id AND dedup_key = :dedup_key

-- name: lock-received
SELECT id, raw, source, attempts FROM inbound_mail
 WHERE tenant_id = :tenant_id AND id = :id AND state = 'received'
   FOR UPDATE SKIP LOCKED

-- name: pending-inbound
SELECT id FROM inbound_mail WHERE tenant_id = :tenant_id AND state = 'received' ORDER BY received_at LIMIT :limit

-- name: finish-inbound
UPDATE inbound_mail SET state = :state, outcome = :outcome, problem = :problem, ticket_id = :ticket_id,
       processed_at = :now, attempts = attempts + 1
 WHERE tenant_id = :tenant_id AND id = :id

-- A reply's request: by the Message-IDs it answers, among what we sent and what we received.
-- name: ticket-by-message-ids
SELECT t.id, t.number FROM (
  SELECT ticket_id, 1 AS pref FROM mail_outbox
   WHERE tenant_id = :tenant_id AND message_id = ANY(:ids::text[]) AND ticket_id IS NOT NULL
  UNION ALL
  SELECT ticket_id, 2 AS pref FROM inbound_mail
   WHERE tenant_id = :tenant_id AND message_id = ANY(:ids::text[]) AND ticket_id IS NOT NULL) m
  JOIN ticket t ON t.tenant_id = :tenant_id AND t.id = m.ticket_id
 ORDER BY m.pref
 LIMIT 1

-- name: ticket-by-number
SELECT id, number, organisation_id, requester_id FROM ticket WHERE tenant_id = :tenant_id AND number = :number

-- One row always comes back with total; the item columns are null past the end (Page.of).
-- name: list-inbound
WITH matching AS (
  SELECT i.*, t.number AS ticket_number FROM inbound_mail i
    LEFT JOIN ticket t ON t.tenant_id = i.tenant_id AND t.id = i.ticket_id
   WHERE i.tenant_id = :tenant_id AND (:state::text IS NULL OR i.state = :state::text))
SELECT c.total, p.id, p.dedup_key, p.message_id, p.source, p.size_bytes, p.sender, p.subject, p.state, p.outcome,
       p.problem, p.ticket_number, p.attempts, p.received_at, p.processed_at
  FROM (SELECT count(*) AS total FROM matching) c
  LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY received_at DESC, id DESC OFFSET :offset LIMIT :limit) p ON true

-- name: inbound-raw
SELECT raw, state FROM inbound_mail WHERE tenant_id = :tenant_id AND id = :id

-- name: retry-inbound
UPDATE inbound_mail SET state = 'received', problem = NULL
 WHERE tenant_id = :tenant_id AND id = :id AND state = 'quarantined'
RETURNING id

-- name: opt-out
INSERT INTO mail_opt_out (tenant_id, user_id, created_at) VALUES (:tenant_id, :user_id, :now)
ON CONFLICT DO NOTHING

-- name: opt-in
DELETE FROM mail_opt_out WHERE tenant_id = :tenant_id AND user_id = :user_id

-- name: is-opted-out
SELECT count(*) AS n FROM mail_opt_out WHERE tenant_id = :tenant_id AND user_id = :user_id

-- A processing attempt that failed without a verdict (a crash, the database gone): counted.
-- name: record-failure
UPDATE inbound_mail SET attempts = attempts + 1, problem = :problem
 WHERE tenant_id = :tenant_id AND id = :id AND state = 'received'
RETURNING attempts
