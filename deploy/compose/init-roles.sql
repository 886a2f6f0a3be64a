-- Runs once when the postgres container initialises its data directory. The image's
-- POSTGRES_USER (otklik_owner) owns the database and runs Flyway; the nodes connect as
-- otklik_app, which must be neither superuser nor BYPASSRLS (the node refuses otherwise).
CREATE ROLE otklik_app LOGIN PASSWORD 'otklik-app-password' NOSUPERUSER NOBYPASSRLS;
