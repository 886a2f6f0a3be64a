-- SLA deadlines of requests (DESIGN.md, "How data flows" 2 and 5): one row per target a request
-- owes, written by TicketStore in the same transaction as the ticket change that started,
-- stopped, paused or re-targeted the clock. Each row keeps the target's definition as the
-- request got it (sla_version), so a later config change does not move its deadlines; only
-- re-targeting (a changed category/priority/severity) takes the current figures.
-- Row-level security ENABLEd and FORCEd, as every tenant table (V001).
CREATE TABLE ticket_deadline (
  tenant_id      text NOT NULL REFERENCES tenant (id),
  ticket_id      uuid NOT NULL,
  target_id      text NOT NULL,
  -- the matrix cell the target came from; null for a common target
  cell_id        text,
  type           text NOT NULL,
  side           text NOT NULL CHECK (side IN ('vendor', 'customer')),
  sla_version    text NOT NULL,
  config_version integer,
  starts_on      text NOT NULL,
  stops_on       text NOT NULL,
  duration       text NOT NULL,
  warn_before    text,
  status         text NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'met', 'breached',
                   'by-agreement', 'not-scheduled')),
  started_at     timestamptz,
  paused_at      timestamptz,
  -- how far pauses have moved due_at: working seconds for working units, clock seconds otherwise
  paused_seconds bigint NOT NULL DEFAULT 0 CHECK (paused_seconds >= 0),
  due_at         timestamptz,
  warn_at        timestamptz,
  met_at         timestamptz,
  breached_at    timestamptz,
  -- DeadlineCalculator.explain's lines, then pauses and stops (English, for staff)
  explanation    text[] NOT NULL DEFAULT '{}',
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, ticket_id, target_id),
  CHECK ((status = 'paused') = (paused_at IS NOT NULL)),
  CHECK (status <> 'running' OR due_at IS NOT NULL),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id)
);
CREATE INDEX ticket_deadline_due ON ticket_deadline (tenant_id, due_at) WHERE status = 'running';

ALTER TABLE ticket_deadline ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket_deadline FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket_deadline
  USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON ticket_deadline TO ${app_role};
