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
