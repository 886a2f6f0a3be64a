-- Webhooks into vendors' tools (issue 7). Every table follows V001/V003: forced row-level
-- security keyed on otklik_current_tenant(), composite (tenant_id, id) foreign keys.

-- An endpoint a tenant admin registered (source 'api') or declared in tenant config ('config').
-- event_types lists outbox kinds ('ticket.created', ...) or '*' for every kind. The signing key is
-- 'whsec_' + base64 of at least 24 random bytes; a config endpoint names an environment variable
-- (secret_env) instead of holding a literal. During a rotation the previous secret stays valid
-- until previous_secret_until, and deliveries carry both signatures. failing_since is the first
-- failed attempt since the last success: five days of it disables the endpoint.
CREATE TABLE webhook_endpoint (
  tenant_id             text NOT NULL REFERENCES tenant (id),
  id                    uuid PRIMARY KEY,
  url                   text NOT NULL,
  description           text,
  event_types           text[] NOT NULL,
  enabled               boolean NOT NULL DEFAULT true,
  disabled_reason       text,
  source                text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'config')),
  config_key            text,
  secret                text,
  secret_env            text,
  previous_secret       text,
  previous_secret_until timestamptz,
  failing_since         timestamptz,
  last_success_at       timestamptz,
  version               integer NOT NULL DEFAULT 1,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, config_key),
  CHECK (secret IS NOT NULL OR secret_env IS NOT NULL),
  CHECK ((source = 'config') = (config_key IS NOT NULL))
);
CREATE INDEX webhook_endpoint_enabled ON webhook_endpoint (tenant_id) WHERE enabled;

-- One row per event per endpoint: the message. Its id is the 'webhook-id' header, the same on
-- every attempt and on a manual redelivery, so a receiver recognises duplicates. Written by the
-- trigger below in the transaction of the change (DESIGN.md, "How data flows" 4), by the test
-- call, or by nothing else. ordering is the tenant's event sequence: a row is not claimed while
-- an earlier row of the same request for the same endpoint is still pending (per-request order).
-- claimed_until is a lease: a node that dies mid-delivery leaves the row to be claimed again.
CREATE TABLE webhook_delivery (
  tenant_id       text NOT NULL REFERENCES tenant (id),
  id              uuid PRIMARY KEY,
  endpoint_id     uuid NOT NULL,
  kind            text NOT NULL,
  event_sequence  bigint,
  ticket_id       uuid,
  payload         jsonb NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoint (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (tenant_id, endpoint_id, next_attempt_at)
  WHERE state = 'pending';
CREATE INDEX webhook_delivery_order ON webhook_delivery (tenant_id, endpoint_id, ticket_id, event_sequence)
  WHERE state = 'pending';
CREATE INDEX webhook_delivery_by_time ON webhook_delivery (tenant_id, endpoint_id, created_at);

-- The delivery log: one row per HTTP attempt, kept 30 days (WebhookStore.cleanup).
CREATE TABLE webhook_attempt (
  tenant_id      text NOT NULL REFERENCES tenant (id),
  id             uuid PRIMARY KEY,
  delivery_id    uuid NOT NULL,
  endpoint_id    uuid NOT NULL,
  attempt        integer NOT NULL,
  url            text NOT NULL,
  request_body   text NOT NULL,
  response_status integer,
  response_body  text,
  error          text,
  latency_ms     integer NOT NULL,
  attempted_at   timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_delivery (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempt_by_endpoint ON webhook_attempt (tenant_id, endpoint_id, attempted_at DESC);
CREATE INDEX webhook_attempt_by_delivery ON webhook_attempt (tenant_id, delivery_id, attempt);

-- Fan-out: one delivery per enabled endpoint that subscribed to the kind, in the transaction
-- that wrote the outbox row (TicketStore.appendEvent), as V011 does for mail.
CREATE FUNCTION otklik_webhooks_from_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_delivery (tenant_id, id, endpoint_id, kind, event_sequence, ticket_id, payload,
                                next_attempt_at, created_at)
  SELECT NEW.tenant_id, gen_random_uuid(), e.id, NEW.kind, NEW.event_sequence, (NEW.payload ->> 'ticketId')::uuid,
         NEW.payload, NEW.created_at, NEW.created_at
    FROM webhook_endpoint e
   WHERE e.tenant_id = NEW.tenant_id AND e.enabled AND (NEW.kind = ANY (e.event_types) OR '*' = ANY (e.event_types));
  RETURN NEW;
END
$$;
CREATE TRIGGER outbox_to_webhooks AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION otklik_webhooks_from_outbox();

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['webhook_endpoint', 'webhook_delivery', 'webhook_attempt'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoint TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_delivery TO ${app_role};
GRANT SELECT, INSERT, DELETE ON webhook_attempt TO ${app_role};
