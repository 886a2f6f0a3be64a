-- Requests («обращения»): the ticket, its comments, attachments and work log, the append-only
-- event history, and the outbox that mail and webhooks will consume. Every table follows V001:
-- row-level security ENABLEd and FORCEd, keyed on otklik_current_tenant(); foreign keys between
-- tenant tables are composite (tenant_id, id), as V002 explains.

-- Human numbers (ASMO-2026-000123) come from a counter row per tenant and year, incremented in
-- the creating transaction. A sequence would leave gaps on rollback; the row lock makes the
-- numbers gapless at the price of creating one request per tenant at a time.
CREATE TABLE ticket_number_counter (
  tenant_id  text NOT NULL REFERENCES tenant (id),
  year       integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
  last_value integer NOT NULL CHECK (last_value > 0),
  PRIMARY KEY (tenant_id, year)
);

-- The per-tenant event sequence (DESIGN.md, "How data flows" 2): taken by UPDATE in the same
-- transaction as the change, so the row lock orders commits and sequence order = commit order.
CREATE TABLE tenant_event_counter (
  tenant_id     text PRIMARY KEY REFERENCES tenant (id),
  last_sequence bigint NOT NULL CHECK (last_sequence > 0)
);

CREATE TABLE ticket (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenant (id),
  number          text NOT NULL,
  number_year     integer NOT NULL,
  number_seq      integer NOT NULL CHECK (number_seq > 0),
  channel         text NOT NULL CHECK (channel IN ('portal', 'email', 'phone', 'api')),
  status          text NOT NULL CHECK (status IN ('new', 'triage', 'in-progress', 'waiting-for-customer',
                    'solution-proposed', 'returned-for-rework', 'accepted', 'closed', 'cancelled', 'closed-by-timeout')),
  kind            text,
  category        text,
  priority        text,
  severity        text,
  service         text,
  subject         text,
  description     text,
  form            jsonb,
  organisation_id uuid NOT NULL,
  requester_id    uuid NOT NULL,
  created_by      uuid NOT NULL,
  assignee_id     uuid,
  planned_date    date,
  callback_due_at timestamptz,
  -- the tenant-config version in force when the request was registered (its SLA terms)
  config_version  integer,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  version         integer NOT NULL DEFAULT 1 CHECK (version > 0),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, number_year, number_seq),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisation (tenant_id, id),
  FOREIGN KEY (tenant_id, requester_id) REFERENCES app_user (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id),
  FOREIGN KEY (tenant_id, assignee_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX ticket_by_created ON ticket (tenant_id, created_at DESC);
CREATE INDEX ticket_by_organisation ON ticket (tenant_id, organisation_id, created_at DESC);
CREATE INDEX ticket_by_status ON ticket (tenant_id, status);
CREATE INDEX ticket_by_assignee ON ticket (tenant_id, assignee_id) WHERE assignee_id IS NOT NULL;

-- Public comments and internal notes (internal = true: vendor staff only).
CREATE TABLE ticket_comment (
  id         uuid PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenant (id),
  ticket_id  uuid NOT NULL,
  author_id  uuid NOT NULL,
  body       text NOT NULL CHECK (btrim(body) <> ''),
  internal   boolean NOT NULL,
  created_at timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id),
  FOREIGN KEY (tenant_id, author_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX ticket_comment_by_ticket ON ticket_comment (tenant_id, ticket_id, created_at);

CREATE TABLE ticket_attachment (
  id           uuid PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenant (id),
  ticket_id    uuid NOT NULL,
  file_name    text NOT NULL CHECK (btrim(file_name) <> '' AND length(file_name) <= 255),
  content_type text NOT NULL,
  size_bytes   integer NOT NULL CHECK (size_bytes > 0),
  content      bytea NOT NULL,
  uploaded_by  uuid NOT NULL,
  created_at   timestamptz NOT NULL,
  CHECK (octet_length(content) = size_bytes),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id),
  FOREIGN KEY (tenant_id, uploaded_by) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX ticket_attachment_by_ticket ON ticket_attachment (tenant_id, ticket_id, created_at);

-- Time spent by vendor staff; never shown to customers.
CREATE TABLE ticket_worklog (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenant (id),
  ticket_id   uuid NOT NULL,
  author_id   uuid NOT NULL,
  minutes     integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  description text NOT NULL CHECK (btrim(description) <> ''),
  created_at  timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id),
  FOREIGN KEY (tenant_id, author_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX ticket_worklog_by_ticket ON ticket_worklog (tenant_id, ticket_id, created_at);

-- Append-only history (the application role may not UPDATE or DELETE it). public = false rows
-- (internal notes, work log) are never shown to customers.
CREATE TABLE ticket_event (
  tenant_id  text NOT NULL REFERENCES tenant (id),
  sequence   bigint NOT NULL CHECK (sequence > 0),
  ticket_id  uuid NOT NULL,
  type       text NOT NULL,
  actor_id   uuid,
  public     boolean NOT NULL,
  before     jsonb,
  after      jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, sequence),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id)
);
CREATE INDEX ticket_event_by_ticket ON ticket_event (tenant_id, ticket_id, sequence);

-- Written in the same transaction as the event it announces; dispatchers claim rows with
-- FOR UPDATE SKIP LOCKED (claimed_at), deliver, and set delivered_at.
CREATE TABLE outbox (
  id             uuid PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenant (id),
  event_sequence bigint NOT NULL,
  kind           text NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL,
  claimed_at     timestamptz,
  delivered_at   timestamptz,
  FOREIGN KEY (tenant_id, event_sequence) REFERENCES ticket_event (tenant_id, sequence)
);
CREATE INDEX outbox_undelivered ON outbox (tenant_id, created_at) WHERE delivered_at IS NULL;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ticket_number_counter', 'tenant_event_counter', 'ticket', 'ticket_comment',
                           'ticket_attachment', 'ticket_worklog', 'ticket_event', 'outbox'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON ticket_number_counter TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON tenant_event_counter TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON ticket TO ${app_role};
GRANT SELECT, INSERT ON ticket_comment TO ${app_role};
GRANT SELECT, INSERT ON ticket_attachment TO ${app_role};
GRANT SELECT, INSERT ON ticket_worklog TO ${app_role};
GRANT SELECT, INSERT ON ticket_event TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON outbox TO ${app_role};
