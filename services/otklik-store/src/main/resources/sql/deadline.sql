-- Statements of TicketStore for SLA deadlines (ticket_deadline). Each runs inside the
-- transaction of the ticket change, after the ticket row is locked or inserted.

-- name: list-deadlines
SELECT * FROM ticket_deadline
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id
 ORDER BY started_at NULLS LAST, target_id

-- The deadlines of a page of requests (a list), each request's in the order above.
-- name: list-deadlines-of-tickets
SELECT * FROM ticket_deadline
 WHERE tenant_id = :tenant_id AND ticket_id = ANY(:ticket_ids::uuid[])
 ORDER BY ticket_id, started_at NULLS LAST, target_id

-- The same by the request's number (the caller's scope is checked by the find sent with it).
-- name: list-deadlines-of-number
SELECT d.* FROM ticket_deadline d
  JOIN ticket t ON t.tenant_id = d.tenant_id AND t.id = d.ticket_id
 WHERE d.tenant_id = :tenant_id AND t.number = :number
 ORDER BY d.started_at NULLS LAST, d.target_id

-- name: upsert-deadline
INSERT INTO ticket_deadline (tenant_id, ticket_id, target_id, cell_id, type, side, sla_version, config_version,
                             starts_on, stops_on, duration, warn_before, status, started_at, paused_at,
                             paused_seconds, due_at, warn_at, met_at, breached_at, explanation, updated_at)
VALUES (:tenant_id, :ticket_id, :target_id, :cell_id, :type, :side, :sla_version, :config_version,
        :starts_on, :stops_on, :duration, :warn_before, :status, :started_at, :paused_at,
        :paused_seconds, :due_at, :warn_at, :met_at, :breached_at, :explanation::text[], :now)
ON CONFLICT (tenant_id, ticket_id, target_id) DO UPDATE
   SET cell_id = excluded.cell_id, type = excluded.type, side = excluded.side,
       sla_version = excluded.sla_version, config_version = excluded.config_version,
       starts_on = excluded.starts_on, stops_on = excluded.stops_on, duration = excluded.duration,
       warn_before = excluded.warn_before, status = excluded.status, started_at = excluded.started_at,
       paused_at = excluded.paused_at, paused_seconds = excluded.paused_seconds, due_at = excluded.due_at,
       warn_at = excluded.warn_at, met_at = excluded.met_at, breached_at = excluded.breached_at,
       explanation = excluded.explanation, updated_at = excluded.updated_at

-- name: delete-deadline
DELETE FROM ticket_deadline WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND target_id = :target_id

-- Unfired timers of a deadline are replaced whenever the deadline is written.
-- name: delete-unfired-timers
DELETE FROM sla_timer
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND target_id = :target_id AND fired_at IS NULL

-- name: delete-timers
DELETE FROM sla_timer WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND target_id = :target_id

-- name: insert-timer
INSERT INTO sla_timer (tenant_id, id, ticket_id, target_id, kind, due_at)
VALUES (:tenant_id, :id, :ticket_id, :target_id, :kind, :due_at)

-- Due timers of the transaction's tenant; rows another node is firing are skipped, not waited for.
-- name: claim-due-timers
SELECT * FROM sla_timer
 WHERE tenant_id = :tenant_id AND fired_at IS NULL AND due_at <= :now
 ORDER BY due_at, id
 LIMIT :limit
   FOR UPDATE SKIP LOCKED

-- name: lock-ticket-by-id
SELECT * FROM ticket WHERE tenant_id = :tenant_id AND id = :id FOR UPDATE SKIP LOCKED

-- The deadline a breach timer is for, marked breached if it is still the same running clock.
-- name: mark-breached
UPDATE ticket_deadline SET status = 'breached', breached_at = due_at, updated_at = :now
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND target_id = :target_id
   AND status = 'running' AND due_at = :due_at
RETURNING *

-- name: find-running-deadline
SELECT * FROM ticket_deadline
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND target_id = :target_id
   AND status = 'running' AND warn_at = :due_at

-- name: mark-fired
UPDATE sla_timer SET fired_at = :now, claimed_by = :claimed_by, claimed_at = :now
 WHERE tenant_id = :tenant_id AND id = :id

-- Workflow timers (V009): one unfired row per request and timer id at most.
-- name: insert-workflow-timer
INSERT INTO sla_timer (tenant_id, id, ticket_id, target_id, kind, due_at, action)
VALUES (:tenant_id, :id, :ticket_id, :target_id, 'workflow', :due_at, :action)

-- name: cancel-workflow-timer
DELETE FROM sla_timer
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND target_id = :target_id
   AND kind = 'workflow' AND fired_at IS NULL

-- name: cancel-all-workflow-timers
DELETE FROM sla_timer
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND kind = 'workflow' AND fired_at IS NULL

-- Recalculation after a config change: open requests in id order, a batch at a time, locked
-- like any change so a concurrent transition waits for the batch (or the batch for it).
-- name: lock-open-tickets-after
SELECT * FROM ticket
 WHERE tenant_id = :tenant_id AND status = ANY(:statuses) AND id > :after
 ORDER BY id
 LIMIT :limit
   FOR UPDATE

-- name: current-config-version
SELECT current_version FROM tenant WHERE id = :tenant_id

-- Open deadlines (not met, not breached) now follow this SLA and config version.
-- name: stamp-open-deadlines
UPDATE ticket_deadline SET sla_version = :sla_version, config_version = :config_version, updated_at = :now
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND status NOT IN ('met', 'breached')
