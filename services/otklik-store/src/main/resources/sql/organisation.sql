-- Statements of OrganisationStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-organisation
INSERT INTO organisation (id, tenant_id, name, contract_number, contract_start, free_support_until, warranty_until)
VALUES (:id, :tenant_id, :name, :contract_number, :contract_start, :free_support_until, :warranty_until)

-- name: insert-email-domains
INSERT INTO organisation_email_domain (tenant_id, domain, organisation_id)
SELECT :tenant_id, d, :organisation_id FROM unnest(:domains::text[]) AS d

-- name: find-by-id
SELECT o.*, coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM organisation_email_domain d
                       WHERE d.tenant_id = o.tenant_id AND d.organisation_id = o.id), '{}') AS email_domains
  FROM organisation o
 WHERE o.tenant_id = :tenant_id AND o.id = :id

-- name: find-by-email-domain
SELECT o.*, coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM organisation_email_domain d
                       WHERE d.tenant_id = o.tenant_id AND d.organisation_id = o.id), '{}') AS email_domains
  FROM organisation_email_domain m
  JOIN organisation o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
 WHERE m.tenant_id = :tenant_id AND m.domain = :domain

-- name: update-contract
UPDATE organisation
   SET name = :name, contract_number = :contract_number, contract_start = :contract_start,
       free_support_until = :free_support_until, warranty_until = :warranty_until,
       version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version
RETURNING version

-- A page of a tenant's organisations; only_ids narrows it to those (a customer sees only the
-- ones they belong to), q matches the name or contract number ignoring case. One row always comes back, with
-- total; the organisation columns are null past the end. sort is one of name, createdAt,
-- contractNumber, optionally with '-'.
-- name: list-organisations
WITH matching AS (
  SELECT * FROM organisation
   WHERE tenant_id = :tenant_id
     AND (:only_ids::uuid[] IS NULL OR id = ANY(:only_ids::uuid[]))
     AND (:q::text IS NULL OR strpos(lower(name), lower(:q)) > 0 OR strpos(lower(coalesce(contract_number, '')), lower(:q)) > 0))
SELECT t.total, p.*
  FROM (SELECT count(*) AS total FROM matching) t
  LEFT JOIN LATERAL (
    SELECT o.*, coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM organisation_email_domain d
                           WHERE d.tenant_id = o.tenant_id AND d.organisation_id = o.id), '{}') AS email_domains,
           row_number() OVER (ORDER BY
             CASE WHEN :sort = 'name' THEN lower(o.name) END ASC,
             CASE WHEN :sort = '-name' THEN lower(o.name) END DESC,
             CASE WHEN :sort = 'createdAt' THEN o.created_at END ASC,
             CASE WHEN :sort = '-createdAt' THEN o.created_at END DESC,
             CASE WHEN :sort = 'contractNumber' THEN o.contract_number END ASC,
             CASE WHEN :sort = '-contractNumber' THEN o.contract_number END DESC,
             o.id) AS ord
      FROM matching o
     ORDER BY ord
     LIMIT :limit OFFSET :offset) p ON true
 ORDER BY p.ord
