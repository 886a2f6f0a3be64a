-- E-mail in and out (the mail issue). Every table follows V001/V003: forced row-level security
-- keyed on otklik_current_tenant(), composite (tenant_id, id) foreign keys.

-- Outbound: one row per mail to send. Written in the transaction of the change it announces:
-- the triggers below copy every mail-worthy outbox row (V003, written by TicketStore with each
-- ticket_event) and every mass-notice recipient (V005) into it, so no store has to know about
-- mail and a committed change always has its mail row. Direct mails (forwards, answers to
-- unregistered senders) are inserted by the intake in the transaction that records the inbound
-- message. MailDispatcherVerticle claims due rows with FOR UPDATE SKIP LOCKED (claimed_until is
-- a lease: a node dying mid-send leaves the row to be claimed again after it), sends, and sets
-- state = 'sent'; on an SMTP failure it retries with backoff (attempts, next_attempt_at).
-- message_id is fixed before the first attempt, so a resend carries the same Message-ID and a
-- duplicate is recognisable.
CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenant (id),
  kind            text NOT NULL,
  event_sequence  bigint,
  ticket_id       uuid,
  payload         jsonb NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  last_error      text,
  message_id      text,
  recipients      text[],
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id)
);
CREATE INDEX mail_outbox_due ON mail_outbox (tenant_id, next_attempt_at) WHERE state = 'pending';
CREATE INDEX mail_outbox_by_message_id ON mail_outbox (tenant_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX mail_outbox_by_ticket ON mail_outbox (tenant_id, ticket_id, created_at) WHERE ticket_id IS NOT NULL;

CREATE FUNCTION otklik_mail_from_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind IN ('ticket.created', 'ticket.comment-added', 'ticket.status-changed', 'ticket.sla-warning',
                  'ticket.sla-breached', 'ticket.escalated') THEN
    INSERT INTO mail_outbox (id, tenant_id, kind, event_sequence, ticket_id, payload, next_attempt_at, created_at)
    VALUES (gen_random_uuid(), NEW.tenant_id, NEW.kind, NEW.event_sequence, (NEW.payload ->> 'ticketId')::uuid,
            NEW.payload, NEW.created_at, NEW.created_at);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER outbox_to_mail AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION otklik_mail_from_outbox();

CREATE FUNCTION otklik_mail_from_notice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO mail_outbox (id, tenant_id, kind, payload, next_attempt_at, created_at)
  VALUES (gen_random_uuid(), NEW.tenant_id, 'mass-notice',
          jsonb_build_object('noticeId', NEW.notice_id, 'userId', NEW.user_id), NEW.created_at, NEW.created_at);
  RETURN NEW;
END
$$;
CREATE TRIGGER notice_to_mail AFTER INSERT ON mass_notice_recipient
  FOR EACH ROW EXECUTE FUNCTION otklik_mail_from_notice();

-- Inbound: every message received (IMAP or the HTTP endpoint), raw bytes kept for good. The
-- unique (tenant_id, dedup_key) makes a second delivery of the same message a no-op: dedup_key
-- is 'mid:<Message-ID>', or 'sha256:<hash of the raw bytes>' when there is none. A row is
-- 'received' until the intake turns it into a request or a comment (state 'processed', in the
-- same transaction as the request change), or decides it needs no request ('rejected': an
-- unregistered sender, answered or forwarded as the tenant configures). A message that cannot
-- be parsed or processed is 'quarantined' with the reason; a tenant admin can list it, download
-- it and retry it (back to 'received').
CREATE TABLE inbound_mail (
  id           uuid PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenant (id),
  dedup_key    text NOT NULL,
  message_id   text,
  source       text NOT NULL CHECK (source IN ('imap', 'http')),
  raw          bytea NOT NULL,
  size_bytes   integer NOT NULL CHECK (size_bytes >= 0),
  sender       text,
  subject      text,
  state        text NOT NULL CHECK (state IN ('received', 'processed', 'rejected', 'quarantined')),
  outcome      text,
  problem      text,
  ticket_id    uuid,
  attempts     integer NOT NULL DEFAULT 0,
  received_at  timestamptz NOT NULL,
  processed_at timestamptz,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, dedup_key),
  CHECK (octet_length(raw) = size_bytes),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id)
);
CREATE INDEX inbound_mail_pending ON inbound_mail (tenant_id, received_at) WHERE state = 'received';
CREATE INDEX inbound_mail_by_message_id ON inbound_mail (tenant_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX inbound_mail_quarantine ON inbound_mail (tenant_id, received_at DESC) WHERE state = 'quarantined';

-- Customers who asked not to get non-contractual mail (status changes, news).
CREATE TABLE mail_opt_out (
  tenant_id  text NOT NULL REFERENCES tenant (id),
  user_id    uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['mail_outbox', 'inbound_mail', 'mail_opt_out'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON mail_outbox TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON inbound_mail TO ${app_role};
GRANT SELECT, INSERT, DELETE ON mail_opt_out TO ${app_role};
