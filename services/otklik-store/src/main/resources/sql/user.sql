-- Statements of UserStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-user
INSERT INTO app_user (id, tenant_id, email, display_name, locale, password_hash, role, organisation_id)
VALUES (:id, :tenant_id, :email, :display_name, :locale, :password_hash, :role, :organisation_id)
RETURNING *

-- Reads of one account carry its organisations (V021 memberships, the primary first).
-- name: find-by-email
SELECT u.*, ARRAY(SELECT m.organisation_id FROM organisation_membership m
               WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id
               ORDER BY m.organisation_id IS DISTINCT FROM u.organisation_id, m.created_at, m.organisation_id) AS organisation_ids
  FROM app_user u WHERE u.tenant_id = :tenant_id AND lower(u.email) = lower(:email)

-- name: find-by-id
SELECT u.*, ARRAY(SELECT m.organisation_id FROM organisation_membership m
               WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id
               ORDER BY m.organisation_id IS DISTINCT FROM u.organisation_id, m.created_at, m.organisation_id) AS organisation_ids
  FROM app_user u WHERE u.tenant_id = :tenant_id AND u.id = :id

-- name: set-password-hash
UPDATE app_user SET password_hash = :password_hash, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id

-- A page of a tenant's users. Every filter is optional (null = any); q matches e-mail or name
-- ignoring case. The organisation filters go by membership (V021): :organisation_id the people
-- of that organisation, :organisation_ids the people of any of them (a customer's colleagues).
-- One row always comes back: total is on it, and the user columns are null when the page is past
-- the end. sort is one of email, displayName, createdAt, optionally with '-'.
-- name: list-users
WITH matching AS (
  SELECT * FROM app_user
   WHERE tenant_id = :tenant_id
     AND NOT service_account
     AND (:role::text IS NULL OR role = :role)
     AND (:organisation_id::uuid IS NULL OR EXISTS (SELECT 1 FROM organisation_membership om
            WHERE om.tenant_id = app_user.tenant_id AND om.user_id = app_user.id AND om.organisation_id = :organisation_id))
     AND (:organisation_ids::uuid[] IS NULL OR EXISTS (SELECT 1 FROM organisation_membership om
            WHERE om.tenant_id = app_user.tenant_id AND om.user_id = app_user.id
              AND om.organisation_id = ANY(:organisation_ids::uuid[])))
     AND (:enabled::boolean IS NULL OR enabled = :enabled)
     AND (:q::text IS NULL OR strpos(lower(email), lower(:q)) > 0 OR strpos(lower(display_name), lower(:q)) > 0))
SELECT t.total, p.*
  FROM (SELECT count(*) AS total FROM matching) t
  LEFT JOIN LATERAL (
    SELECT m.*, ARRAY(SELECT om.organisation_id FROM organisation_membership om
                       WHERE om.tenant_id = m.tenant_id AND om.user_id = m.id
                       ORDER BY om.organisation_id IS DISTINCT FROM m.organisation_id, om.created_at, om.organisation_id)
                  AS organisation_ids,
           row_number() OVER (ORDER BY
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
UPDATE app_user u SET enabled = :enabled, version = version + 1
 WHERE u.tenant_id = :tenant_id AND u.id = :id
RETURNING u.*, ARRAY(SELECT m.organisation_id FROM organisation_membership m
                      WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id
                      ORDER BY m.organisation_id IS DISTINCT FROM u.organisation_id, m.created_at, m.organisation_id)
               AS organisation_ids

-- The organisations a person belongs to, with their names, the primary first.
-- name: list-memberships
SELECT m.organisation_id, o.name, (m.organisation_id = u.organisation_id) AS is_primary
  FROM organisation_membership m
  JOIN organisation o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
  JOIN app_user u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
 WHERE m.tenant_id = :tenant_id AND m.user_id = :user_id
 ORDER BY (m.organisation_id = u.organisation_id) DESC, lower(o.name), m.organisation_id

-- name: lock-user
SELECT id, role, organisation_id FROM app_user WHERE tenant_id = :tenant_id AND id = :id FOR UPDATE

-- name: add-memberships
INSERT INTO organisation_membership (tenant_id, user_id, organisation_id, created_at)
SELECT :tenant_id, :user_id, o, :now FROM unnest(:organisation_ids::uuid[]) AS o
ON CONFLICT DO NOTHING

-- The primary moves before the memberships it leaves are removed (V021 keeps the primary a member).
-- name: set-primary
UPDATE app_user SET organisation_id = :organisation_id, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id AND organisation_id IS DISTINCT FROM :organisation_id::uuid

-- name: remove-other-memberships
DELETE FROM organisation_membership
 WHERE tenant_id = :tenant_id AND user_id = :user_id AND organisation_id <> ALL(:organisation_ids::uuid[])
