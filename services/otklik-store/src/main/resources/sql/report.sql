-- Statements of SlaReportStore.

-- Every request registered in [from, to) with its deadline rows (one row with null target when
-- it has none), for the SLA report.
-- name: report-rows
SELECT t.id AS ticket_id, t.category, t.priority, d.type, d.side, d.status, d.started_at, d.met_at,
       coalesce(d.paused_seconds, 0) AS paused_seconds
  FROM ticket t
  LEFT JOIN ticket_deadline d ON d.tenant_id = t.tenant_id AND d.ticket_id = t.id
 WHERE t.tenant_id = :tenant_id AND t.created_at >= :from AND t.created_at < :to
 ORDER BY t.id, d.target_id

-- The satisfaction surveys (V020) of the same requests (registered in [from, to)), with the
-- agent each request had when it closed, for the report's satisfaction figures.
-- name: satisfaction-rows
SELECT s.id, t.category, t.priority, s.assignee_id, a.display_name AS assignee_name, s.rating
  FROM satisfaction_survey s
  JOIN ticket t ON t.tenant_id = s.tenant_id AND t.id = s.ticket_id
  LEFT JOIN app_user a ON a.tenant_id = s.tenant_id AND a.id = s.assignee_id
 WHERE s.tenant_id = :tenant_id AND t.created_at >= :from AND t.created_at < :to
 ORDER BY s.created_at, s.id
