-- Mass notices: a tenant's staff tell every customer (or the customers of chosen organisations)
-- about a security update, a maintenance window or news. Publishing records the notice and one
-- recipient row per customer account in the same transaction, so "who was told" is fixed at
-- publish time: people who join an organisation later are not recipients of older notices.
-- Every table follows V001/V002: forced row-level security keyed on otklik_current_tenant(), and
-- composite (tenant_id, id) foreign keys, because referential checks bypass row-level security.

CREATE TABLE mass_notice (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenant (id),
  kind            text NOT NULL CHECK (kind IN ('security-update', 'maintenance', 'news')),
  -- Russian is always given; English is optional, but then for both title and body.
  title_ru        text NOT NULL CHECK (btrim(title_ru) <> '' AND length(title_ru) <= 200),
  body_ru         text NOT NULL CHECK (btrim(body_ru) <> '' AND length(body_ru) <= 20000),
  title_en        text CHECK (btrim(title_en) <> '' AND length(title_en) <= 200),
  body_en         text CHECK (btrim(body_en) <> '' AND length(body_en) <= 20000),
  audience        text NOT NULL CHECK (audience IN ('all-customers', 'organisations')),
  -- The person, or the API key's service account, that published it.
  published_by    uuid NOT NULL,
  published_at    timestamptz NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, published_by) REFERENCES app_user (tenant_id, id),
  CONSTRAINT mass_notice_english_complete CHECK ((title_en IS NULL) = (body_en IS NULL))
);
CREATE INDEX mass_notice_by_time ON mass_notice (tenant_id, published_at DESC, id DESC);

-- The organisations an organisation-targeted notice was addressed to.
CREATE TABLE mass_notice_organisation (
  tenant_id       text NOT NULL,
  notice_id       uuid NOT NULL,
  organisation_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, notice_id, organisation_id),
  FOREIGN KEY (tenant_id, notice_id) REFERENCES mass_notice (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisation (tenant_id, id)
);

-- One row per customer account told. delivery_state is for the mail dispatcher (the mail issue):
-- it claims 'pending' rows with FOR UPDATE SKIP LOCKED and records the outcome.
CREATE TABLE mass_notice_recipient (
  tenant_id       text NOT NULL,
  notice_id       uuid NOT NULL,
  user_id         uuid NOT NULL,
  organisation_id uuid NOT NULL,
  created_at      timestamptz NOT NULL,
  read_at         timestamptz,
  delivery_state  text NOT NULL DEFAULT 'pending' CHECK (delivery_state IN ('pending', 'sent', 'failed')),
  PRIMARY KEY (tenant_id, notice_id, user_id),
  FOREIGN KEY (tenant_id, notice_id) REFERENCES mass_notice (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id),
  FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisation (tenant_id, id)
);
CREATE INDEX mass_notice_recipient_by_user ON mass_notice_recipient (tenant_id, user_id, created_at DESC);
CREATE INDEX mass_notice_recipient_pending ON mass_notice_recipient (tenant_id, created_at)
  WHERE delivery_state = 'pending';

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['mass_notice', 'mass_notice_organisation', 'mass_notice_recipient'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
        'USING (tenant_id = otklik_current_tenant()) WITH CHECK (tenant_id = otklik_current_tenant())', t);
  END LOOP;
END
$$;

-- Notices are not edited once published (customers were told what they were told).
GRANT SELECT, INSERT ON mass_notice TO ${app_role};
GRANT SELECT, INSERT ON mass_notice_organisation TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON mass_notice_recipient TO ${app_role};
