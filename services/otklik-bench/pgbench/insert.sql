INSERT INTO bench_ceiling (tenant_id, payload) VALUES ('asmo', '{"subject":"Не формируется отчёт","n":1}') RETURNING id;
