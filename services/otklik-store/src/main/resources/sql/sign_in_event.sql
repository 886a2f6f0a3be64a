-- Statements of SignInEventStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-event
INSERT INTO sign_in_event (tenant_id, id, at, kind, outcome, reason, user_id, email, ip, actor_id, locked_until)
VALUES (:tenant_id, :id, :at, :kind, :outcome, :reason, :user_id, :email, :ip, :actor_id, :locked_until)

-- Serialises the failures of one subject, so the count and the lock-out it may cause are exact
-- across the nodes of a cluster.
-- name: lock-subject
SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))

-- The latest lock-out in force among the given subjects (scope || ':' || subject).
-- name: lock-in-force
SELECT scope, subject, locked_until FROM sign_in_lockout
 WHERE tenant_id = :tenant_id AND scope || ':' || subject = ANY(:keys::text[])
   AND locked_until > :now AND lifted_at IS NULL
 ORDER BY locked_until DESC
 LIMIT 1

-- Recent failures counted towards a lock-out: within the window, and after the subject's last
-- lock-out began or was lifted (its failures were paid for). For an account or a second factor
-- also after its last success; a success from an address does not clear that address's count,
-- or one working account would let an attacker try others from there without end.
-- name: count-failures
SELECT count(*) AS n FROM sign_in_event e
 WHERE e.tenant_id = :tenant_id AND e.outcome = 'failure' AND e.at > :since
   AND CASE :scope
         WHEN 'password-account' THEN e.kind = 'password' AND e.email = :subject
         WHEN 'password-ip' THEN e.kind = 'password' AND e.ip = :subject
         WHEN 'second-factor' THEN e.kind IN ('totp', 'recovery-code') AND e.user_id = :user_id
       END
   AND e.at > coalesce((SELECT max(greatest(l.locked_at, l.lifted_at)) FROM sign_in_lockout l
                         WHERE l.tenant_id = :tenant_id AND l.scope = :scope AND l.subject = :subject),
                       '-infinity')
   AND (:scope = 'password-ip' OR e.at > coalesce((SELECT max(s.at) FROM sign_in_event s
                         WHERE s.tenant_id = :tenant_id AND s.outcome = 'success'
                           AND CASE :scope
                                 WHEN 'password-account' THEN s.kind = 'password' AND s.email = :subject
                                 ELSE s.kind IN ('totp', 'recovery-code') AND s.user_id = :user_id
                               END), '-infinity'))

-- name: insert-lockout
INSERT INTO sign_in_lockout (tenant_id, id, scope, subject, user_id, failures, locked_at, locked_until)
VALUES (:tenant_id, :id, :scope, :subject, :user_id, :failures, :now, :locked_until)

-- A tenant admin's reset lifts the person's lock-outs: the second factor's and the password's.
-- name: lift-lockouts
UPDATE sign_in_lockout SET lifted_at = :now, lifted_by = :actor_id
 WHERE tenant_id = :tenant_id AND lifted_at IS NULL AND locked_until > :now
   AND ((scope = 'second-factor' AND subject = (:user_id::uuid)::text) OR (scope = 'password-account' AND subject = :email))

-- name: list-events
WITH matching AS (
  SELECT * FROM sign_in_event
   WHERE tenant_id = :tenant_id
     AND (:user_id::uuid IS NULL OR user_id = :user_id OR actor_id = :user_id)
     AND (:kind::text IS NULL OR kind = :kind)
     AND (:outcome::text IS NULL OR outcome = :outcome)
     AND (:q::text IS NULL OR strpos(email, lower(:q)) > 0 OR ip = :q))
SELECT t.total, p.*
  FROM (SELECT count(*) AS total FROM matching) t
  LEFT JOIN LATERAL (
    SELECT m.*, u.email AS user_email FROM matching m
      LEFT JOIN app_user u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
     ORDER BY CASE WHEN :sort = 'at' THEN m.at END ASC,
              CASE WHEN :sort = '-at' THEN m.at END DESC,
              m.id
     LIMIT :limit OFFSET :offset) p ON true
