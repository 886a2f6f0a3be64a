\set k random(1, :n)
\startpipeline
BEGIN;
SELECT set_config('app.tenant_id', 'asmo', true), set_config('plan_cache_mode', 'force_generic_plan', true);
SELECT * FROM ticket t WHERE t.tenant_id = 'asmo' AND t.number = 'ASMO-2026-' || lpad(:k::text, 6, '0') AND (ARRAY[:org::uuid] IS NULL OR t.organisation_id = ANY(ARRAY[:org::uuid]) OR EXISTS (SELECT 1 FROM ticket_watcher w WHERE w.tenant_id = t.tenant_id AND w.ticket_id = t.id AND w.user_id = :user::uuid));
SELECT d.* FROM ticket_deadline d JOIN ticket t ON t.tenant_id = d.tenant_id AND t.id = d.ticket_id WHERE d.tenant_id = 'asmo' AND t.number = 'ASMO-2026-' || lpad(:k::text, 6, '0') ORDER BY d.started_at NULLS LAST, d.target_id;
SELECT w.user_id, u.display_name, w.added_by, w.added_at FROM ticket_watcher w JOIN ticket t ON t.tenant_id = w.tenant_id AND t.id = w.ticket_id JOIN app_user u ON u.tenant_id = w.tenant_id AND u.id = w.user_id WHERE w.tenant_id = 'asmo' AND t.number = 'ASMO-2026-' || lpad(:k::text, 6, '0') ORDER BY w.added_at, lower(u.display_name), w.user_id;
COMMIT;
\endpipeline
