\set k random(1, 100000)
SELECT id, tenant_id, payload, created_at FROM bench_ceiling WHERE id = :k;
