-- Statements of UserStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-user
INSERT INTO app_user (id, tenant_id, email, display_name, locale, password_hash, role, organisation_id)
VALUES (:id, :tenant_id, :email, :display_name, :locale, :password_hash, :role, :organisation_id)
RETURNING *

-- name: find-by-email
SELECT * FROM app_user WHERE tenant_id = :tenant_id AND lower(email) = lower(:email)

-- name: find-by-id
SELECT * FROM app_user WHERE tenant_id = :tenant_id AND id = :id

-- name: set-password-hash
UPDATE app_user SET password_hash = :password_hash, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id

-- A page of a tenant's users. Every filter is optional (null = any); q matches e-mail or name
-- ignoring case. One row always comes back: total is on it, and the user columns are null when
-- the page is past the end. sort is one of email, displayName, createdAt, optionally with '-'.
-- name: list-users
WITH matching AS (
  SELECT * FROM app_user
   WHERE tenant_id = :tenant_id
     AND NOT service_account
     AND (:role::text IS NULL OR role = :role)
     AND (:organisation_id::uuid IS NULL OR organisation_id = :organisation_id)
     AND (:enabled::boolean IS NULL OR enabled = :enabled)
     AND (:q::text IS NULL OR strpos(lower(email), lower(:q)) > 0 OR strpos(lower(display_name), lower(:q)) > 0))
SELECT t.total, p.*
  FROM (SELECT count(*) AS total FROM matching) t
  LEFT JOIN LATERAL (
    SELECT m.*, row_number() OVER (ORDER BY
             CASE WHEN :sort = 'email' THEN lower(m.email) END ASC,
             CASE WHEN :sort = '-email' THEN lower(m.email) END DESC,
             CASE WHEN :sort = 'displayName' THEN lower(m.display_name) END ASC,
             CASE WHEN :sort = '-displayName' THEN lower(m.display_name) END DESC,
             CASE WHEN :sort = 'createdAt' THEN m.created_at END ASC,
             CASE WHEN :sort = '-createdAt' THEN m.created_at END DESC,
             m.id) AS ord
      FROM matching m
     ORDER BY ord
     LIMIT :limit OFFSET :offset) p ON true
 ORDER BY p.ord

-- name: set-enabled
UPDATE app_user SET enabled = :enabled, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id
RETURNING *
