-- Statements of SearchStore. Every one runs inside TenantTransactions.inTenant. The search
-- functions and their indexes are in V006; a query reaches an index only by repeating the
-- indexed expression exactly.

-- Requests whose subject or description, comments or attachment names match :q, one row per
-- request with its best match, best first, in the Page.of shape (total on every row, request
-- columns null past the end). :scope_organisations and :scope_user confine a customer to the
-- requests of their organisations and the ones they watch (V021);
-- :include_internal is false for customers, so internal notes neither match nor show.
-- name: search
WITH hits AS (
  SELECT t.id, 'request' AS matched_in, 0 AS preference,
         ts_rank(otklik_ticket_search_vector(t.subject, t.description), otklik_search_query(:q)) AS rank,
         concat_ws(E'\n', t.subject, t.description) AS content
    FROM ticket t
   WHERE t.tenant_id = :tenant_id
     AND (:scope_organisations::uuid[] IS NULL OR t.organisation_id = ANY(:scope_organisations::uuid[])
          OR EXISTS (SELECT 1 FROM ticket_watcher w
                      WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :scope_user::uuid))
     AND otklik_ticket_search_vector(t.subject, t.description) @@ otklik_search_query(:q)
  UNION ALL
  SELECT t.id, CASE WHEN c.internal THEN 'internal-note' ELSE 'comment' END, 1,
         ts_rank(otklik_search_vector(c.body), otklik_search_query(:q)),
         c.body
    FROM ticket_comment c
    JOIN ticket t ON t.tenant_id = c.tenant_id AND t.id = c.ticket_id
   WHERE c.tenant_id = :tenant_id
     AND (:scope_organisations::uuid[] IS NULL OR t.organisation_id = ANY(:scope_organisations::uuid[])
          OR EXISTS (SELECT 1 FROM ticket_watcher w
                      WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :scope_user::uuid))
     AND (:include_internal::boolean OR NOT c.internal)
     AND otklik_search_vector(c.body) @@ otklik_search_query(:q)
  UNION ALL
  SELECT t.id, 'attachment', 2,
         ts_rank(otklik_file_name_search_vector(a.file_name), otklik_search_query(:q)),
         a.file_name
    FROM ticket_attachment a
    JOIN ticket t ON t.tenant_id = a.tenant_id AND t.id = a.ticket_id
   WHERE a.tenant_id = :tenant_id
     AND (:scope_organisations::uuid[] IS NULL OR t.organisation_id = ANY(:scope_organisations::uuid[])
          OR EXISTS (SELECT 1 FROM ticket_watcher w
                      WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :scope_user::uuid))
     AND otklik_file_name_search_vector(a.file_name) @@ otklik_search_query(:q)
), best AS (
  SELECT DISTINCT ON (id) * FROM hits ORDER BY id, rank DESC, preference
)
SELECT c.total, p.*
  FROM (SELECT count(*) AS total FROM best) c
  LEFT JOIN LATERAL (
    SELECT b.id, b.matched_in, b.rank, t.number, t.subject, t.status, t.created_at,
           ts_headline('pg_catalog.russian'::regconfig, b.content, otklik_search_query(:q), :headline_options) AS snippet
      FROM best b
      JOIN ticket t ON t.tenant_id = :tenant_id AND t.id = b.id
     ORDER BY b.rank DESC, t.created_at DESC, b.id
     LIMIT :limit OFFSET :offset) p ON true
 ORDER BY p.rank DESC, p.created_at DESC, p.id
