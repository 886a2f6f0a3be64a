-- Durable SLA timers (DESIGN.md, "How data flows" 5): a warning and a breach row per running
-- deadline, written with the deadline in the transaction of the ticket change (unfired rows of a
-- deadline are replaced whenever the deadline changes; fired rows stay as history). Dispatchers
-- on every node claim due rows with FOR UPDATE SKIP LOCKED inside a tenant transaction, fire
-- them (ticket_event sla-warning / sla-breached, the deadline marked breached) and set fired_at
-- in that same transaction, so each fires once across the cluster and survives restarts.
--
-- Which tenants to look at comes from the node's tenant registry, one transaction per tenant,
-- so row-level security stays as for every table: no SECURITY DEFINER function (V002 explains
-- why the project avoids them under FORCE RLS).
CREATE TABLE sla_timer (
  tenant_id  text NOT NULL REFERENCES tenant (id),
  id         uuid PRIMARY KEY,
  ticket_id  uuid NOT NULL,
  target_id  text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('warning', 'breach')),
  due_at     timestamptz NOT NULL,
  fired_at   timestamptz,
  claimed_by text,
  claimed_at timestamptz,
  CHECK ((fired_at IS NULL) = (claimed_at IS NULL)),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id)
);
CREATE INDEX sla_timer_due ON sla_timer (tenant_id, due_at) WHERE fired_at IS NULL;
CREATE INDEX sla_timer_by_deadline ON sla_timer (tenant_id, ticket_id, target_id);

ALTER TABLE sla_timer ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla_timer FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla_timer
  USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON sla_timer TO ${app_role};
