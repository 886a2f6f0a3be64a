-- Statements of SurveyStore (V020). Every one runs inside TenantTransactions.inTenant.

-- The person a closing's survey goes to: the requester, if enabled; opted_out = no survey mail.
-- name: recipient
SELECT u.email, u.display_name, u.locale, u.enabled, (o.user_id IS NOT NULL) AS opted_out
  FROM app_user u
  LEFT JOIN mail_opt_out o ON o.tenant_id = u.tenant_id AND o.user_id = u.id
 WHERE u.tenant_id = :tenant_id AND u.id = :user_id

-- An earlier survey still open when the request closes again gives way to the new one.
-- name: withdraw-open
UPDATE satisfaction_survey SET withdrawn_at = :now
 WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id AND answered_at IS NULL AND withdrawn_at IS NULL

-- name: insert-survey
INSERT INTO satisfaction_survey (tenant_id, id, ticket_id, recipient_id, assignee_id, closed_status, created_at,
                                 expires_at)
VALUES (:tenant_id, :id, :ticket_id, :recipient_id, :assignee_id, :closed_status, :now, :expires_at)

-- name: find-survey
SELECT s.id, s.ticket_id, s.recipient_id, s.assignee_id, s.closed_status, s.created_at, s.expires_at,
       s.withdrawn_at, s.answered_at, s.rating, s.comment, s.answered_via, t.number, t.subject
  FROM satisfaction_survey s
  JOIN ticket t ON t.tenant_id = s.tenant_id AND t.id = s.ticket_id
 WHERE s.tenant_id = :tenant_id AND s.id = :id

-- name: surveys-of-ticket
SELECT s.id, s.ticket_id, s.recipient_id, s.assignee_id, s.closed_status, s.created_at, s.expires_at,
       s.withdrawn_at, s.answered_at, s.rating, s.comment, s.answered_via, t.number, t.subject
  FROM satisfaction_survey s
  JOIN ticket t ON t.tenant_id = s.tenant_id AND t.id = s.ticket_id
 WHERE s.tenant_id = :tenant_id AND s.ticket_id = :ticket_id
 ORDER BY s.created_at DESC, s.id

-- The one write of an answer: it counts only while the survey is open, so of two submissions
-- (a double click, the link and the portal at once) exactly one changes the row; the other waits
-- for its lock, finds answered_at set and changes nothing.
-- name: answer-survey
UPDATE satisfaction_survey SET answered_at = :now, rating = :rating, comment = :comment, answered_via = :via
 WHERE tenant_id = :tenant_id AND id = :id AND answered_at IS NULL AND withdrawn_at IS NULL AND expires_at > :now
RETURNING ticket_id, recipient_id, rating, comment, answered_via, answered_at
