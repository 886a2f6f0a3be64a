-- Statements of MassNoticeStore. Every one runs inside TenantTransactions.inTenant.

-- name: find-organisations
SELECT id FROM organisation WHERE tenant_id = :tenant_id AND id = ANY(:organisation_ids::uuid[])

-- name: insert-notice
INSERT INTO mass_notice (id, tenant_id, kind, title_ru, body_ru, title_en, body_en, audience, published_by,
                         published_at)
VALUES (:id, :tenant_id, :kind, :title_ru, :body_ru, :title_en, :body_en, :audience, :published_by,
        :published_at)

-- name: insert-notice-organisations
INSERT INTO mass_notice_organisation (tenant_id, notice_id, organisation_id)
SELECT :tenant_id, :notice_id::uuid, o FROM unnest(:organisation_ids::uuid[]) AS o

-- Every enabled customer account of the tenant (or the members of the chosen organisations, V021)
-- at this moment, once each; organisation_id is the one it reached them through (the primary
-- when that is among them).
-- name: insert-recipients
INSERT INTO mass_notice_recipient (tenant_id, notice_id, user_id, organisation_id, created_at)
SELECT u.tenant_id, :notice_id::uuid, u.id,
       CASE WHEN :all_customers::boolean THEN u.organisation_id
            ELSE (SELECT m.organisation_id FROM organisation_membership m
                   WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id
                     AND m.organisation_id = ANY(:organisation_ids::uuid[])
                   ORDER BY m.organisation_id IS DISTINCT FROM u.organisation_id, m.organisation_id
                   LIMIT 1) END,
       :created_at::timestamptz
  FROM app_user u
 WHERE u.tenant_id = :tenant_id AND u.role = 'customer' AND u.enabled
   AND (:all_customers::boolean OR EXISTS (SELECT 1 FROM organisation_membership m
          WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id AND m.organisation_id = ANY(:organisation_ids::uuid[])))

-- Staff view: every notice (or the one with :id), newest first, with how many customers were
-- told and how many read it. One row always comes back, with total; the notice columns are null
-- past the end (the shape Page.of reads).
-- name: list-for-staff
WITH matching AS (
  SELECT * FROM mass_notice WHERE tenant_id = :tenant_id AND (:id::uuid IS NULL OR id = :id::uuid))
SELECT t.total, p.*
  FROM (SELECT count(*) AS total FROM matching) t
  LEFT JOIN LATERAL (
    SELECT n.*, c.recipient_count, c.read_count,
           coalesce((SELECT array_agg(o.organisation_id ORDER BY o.organisation_id) FROM mass_notice_organisation o
                      WHERE o.tenant_id = n.tenant_id AND o.notice_id = n.id), '{}') AS organisation_ids
      FROM matching n
     CROSS JOIN LATERAL (SELECT count(*) AS recipient_count, count(*) FILTER (WHERE r.read_at IS NOT NULL) AS read_count
                           FROM mass_notice_recipient r
                          WHERE r.tenant_id = n.tenant_id AND r.notice_id = n.id) c
     ORDER BY n.published_at DESC, n.id DESC
     LIMIT :limit OFFSET :offset) p ON true
 ORDER BY p.published_at DESC, p.id DESC

-- Customer view: the notices addressed to :user_id (or the one with :id), newest first, with
-- total and unread counts on every row (the shape Page.of reads).
-- name: list-for-recipient
WITH matching AS (
  SELECT notice_id, read_at FROM mass_notice_recipient
   WHERE tenant_id = :tenant_id AND user_id = :user_id AND (:id::uuid IS NULL OR notice_id = :id::uuid))
SELECT t.total, t.unread, p.*
  FROM (SELECT count(*) AS total, count(*) FILTER (WHERE read_at IS NULL) AS unread FROM matching) t
  LEFT JOIN LATERAL (
    SELECT n.id, n.kind, n.title_ru, n.body_ru, n.title_en, n.body_en, n.published_at, m.read_at
      FROM matching m
      JOIN mass_notice n ON n.tenant_id = :tenant_id AND n.id = m.notice_id
     ORDER BY n.published_at DESC, n.id DESC
     LIMIT :limit OFFSET :offset) p ON true
 ORDER BY p.published_at DESC, p.id DESC

-- The first reading counts; marking again keeps it.
-- name: mark-read
UPDATE mass_notice_recipient SET read_at = coalesce(read_at, :now::timestamptz)
 WHERE tenant_id = :tenant_id AND notice_id = :notice_id AND user_id = :user_id
RETURNING read_at
