-- Shared requests (issue 10): a person may belong to several organisations of one tenant, and
-- colleagues may watch a request. Both tables follow V001/V002: row-level security ENABLEd and
-- FORCEd, keyed on otklik_current_tenant(), and composite (tenant_id, id) foreign keys, so a
-- person or a request of tenant A can never be tied to an organisation or a person of tenant B.

-- Memberships. app_user.organisation_id stays the person's primary (default) organisation: the
-- one a request filed by mail belongs to, and the default of the portal's picker. The primary is
-- always one of the memberships: a trigger adds the membership whenever a primary is set (so
-- every way of creating or changing a user keeps it), and another refuses to delete the
-- membership of the current primary (move the primary first; UserStore.setOrganisations does).
CREATE TABLE organisation_membership (
  tenant_id       text NOT NULL REFERENCES tenant (id),
  user_id         uuid NOT NULL,
  organisation_id uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, organisation_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisation (tenant_id, id)
);
CREATE INDEX organisation_membership_by_organisation ON organisation_membership (tenant_id, organisation_id, user_id);

-- Backfill: every primary becomes a membership. app_user has forced row-level security, which
-- also filters its owner (the migration role when it is not a superuser) and would hide every
-- row here, where no tenant is set: it is lifted for this one statement, inside this
-- migration's transaction, and the new table gets its policy only after the copy.
ALTER TABLE app_user NO FORCE ROW LEVEL SECURITY;
INSERT INTO organisation_membership (tenant_id, user_id, organisation_id, created_at)
SELECT tenant_id, id, organisation_id, created_at FROM app_user WHERE organisation_id IS NOT NULL;
ALTER TABLE app_user FORCE ROW LEVEL SECURITY;

CREATE FUNCTION otklik_primary_is_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.organisation_id IS NOT NULL THEN
    INSERT INTO organisation_membership (tenant_id, user_id, organisation_id, created_at)
    VALUES (NEW.tenant_id, NEW.id, NEW.organisation_id, now())
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER app_user_primary_membership AFTER INSERT OR UPDATE OF organisation_id ON app_user
  FOR EACH ROW EXECUTE FUNCTION otklik_primary_is_member();

CREATE FUNCTION otklik_keep_primary_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM app_user u
              WHERE u.tenant_id = OLD.tenant_id AND u.id = OLD.user_id AND u.organisation_id = OLD.organisation_id) THEN
    RAISE EXCEPTION 'organisation % is the primary organisation of user %', OLD.organisation_id, OLD.user_id
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'organisation_membership_primary';
  END IF;
  RETURN OLD;
END
$$;
CREATE TRIGGER organisation_membership_keeps_primary BEFORE DELETE ON organisation_membership
  FOR EACH ROW EXECUTE FUNCTION otklik_keep_primary_membership();

-- Watchers: colleagues who get a request's notifications and see it. Adding and removing are
-- request events (watcher-added, watcher-removed), so the history keeps who did what.
CREATE TABLE ticket_watcher (
  tenant_id text NOT NULL REFERENCES tenant (id),
  ticket_id uuid NOT NULL,
  user_id   uuid NOT NULL,
  added_by  uuid,
  added_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, ticket_id, user_id),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id),
  FOREIGN KEY (tenant_id, added_by) REFERENCES app_user (tenant_id, id)
);
-- "the requests I watch" (a customer's list, GET .../requests?watching=true)
CREATE INDEX ticket_watcher_by_user ON ticket_watcher (tenant_id, user_id, ticket_id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['organisation_membership', 'ticket_watcher'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, DELETE ON organisation_membership TO ${app_role};
GRANT SELECT, INSERT, DELETE ON ticket_watcher TO ${app_role};

-- Watchers get the mail the requester gets (V011's otklik_mail_from_outbox, replaced here): for
-- a registration, a comment or a status change, one more mail_outbox row per watcher who is not
-- the requester, with payload.recipientId naming the watcher. NotificationPlanner applies the
-- requester's rules to each (the customer's own action sends nothing, an opt-out from
-- non-contractual mail is honoured per person, a disabled account gets nothing) and skips a
-- watcher removed before the mail went out. Each row has its own Message-ID.
CREATE OR REPLACE FUNCTION otklik_mail_from_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ticket_ref uuid := (NEW.payload ->> 'ticketId')::uuid;
BEGIN
  IF NEW.kind IN ('ticket.created', 'ticket.comment-added', 'ticket.status-changed', 'ticket.sla-warning',
                  'ticket.sla-breached', 'ticket.escalated') THEN
    INSERT INTO mail_outbox (id, tenant_id, kind, event_sequence, ticket_id, payload, next_attempt_at, created_at)
    VALUES (gen_random_uuid(), NEW.tenant_id, NEW.kind, NEW.event_sequence, ticket_ref,
            NEW.payload, NEW.created_at, NEW.created_at);
  END IF;
  IF NEW.kind IN ('ticket.created', 'ticket.comment-added', 'ticket.status-changed') THEN
    INSERT INTO mail_outbox (id, tenant_id, kind, event_sequence, ticket_id, payload, next_attempt_at, created_at)
    SELECT gen_random_uuid(), NEW.tenant_id, NEW.kind, NEW.event_sequence, ticket_ref,
           NEW.payload || jsonb_build_object('recipientId', w.user_id), NEW.created_at, NEW.created_at
      FROM ticket_watcher w
      JOIN ticket t ON t.tenant_id = w.tenant_id AND t.id = w.ticket_id
     WHERE w.tenant_id = NEW.tenant_id AND w.ticket_id = ticket_ref AND w.user_id <> t.requester_id
     ORDER BY w.added_at, w.user_id;
  END IF;
  RETURN NEW;
END
$$;
