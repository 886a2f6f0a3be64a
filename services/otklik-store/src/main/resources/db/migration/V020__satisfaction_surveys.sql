-- Customer satisfaction (issue 10): one survey per closing of a request, for tenants whose file
-- has satisfaction:. Written by SurveyStore in the transaction of the status change that closes
-- the request (so a committed closing always has its survey, a rolled-back one none), together
-- with its mail row (V011's mail_outbox, template satisfaction-survey). Follows V001/V002:
-- row-level security ENABLEd and FORCEd, keyed on otklik_current_tenant(), and composite
-- (tenant_id, id) foreign keys, so a survey of tenant A can never point at a request or a person
-- of tenant B.
--
-- The link in the mail carries the survey id, the tenant and expires_at, signed (HMAC-SHA256)
-- with a server key; nothing secret is stored here. A survey is answered once: answering is one
-- conditional UPDATE (answered_at IS NULL), so two submissions cannot both count. A request that
-- is reopened and closed again gets a new survey; an unanswered earlier one is withdrawn then, so
-- at most one survey per request is open (the partial unique index).
--
-- assignee_id is who had the request when it closed: the report's per-agent figures stay with
-- that person even if the request is reassigned later.
CREATE TABLE satisfaction_survey (
  tenant_id     text NOT NULL REFERENCES tenant (id),
  id            uuid NOT NULL,
  ticket_id     uuid NOT NULL,
  recipient_id  uuid NOT NULL,
  assignee_id   uuid,
  closed_status text NOT NULL CHECK (closed_status IN ('accepted', 'closed', 'closed-by-timeout')),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  withdrawn_at  timestamptz,
  answered_at   timestamptz,
  rating        smallint CHECK (rating BETWEEN 1 AND 5),
  comment       text CHECK (char_length(comment) <= 2000),
  answered_via  text CHECK (answered_via IN ('link', 'portal')),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket (tenant_id, id),
  FOREIGN KEY (tenant_id, recipient_id) REFERENCES app_user (tenant_id, id),
  FOREIGN KEY (tenant_id, assignee_id) REFERENCES app_user (tenant_id, id),
  CHECK (expires_at > created_at),
  -- an answer is complete (when, how, the rating) or absent; a comment only with an answer
  CHECK ((answered_at IS NULL) = (rating IS NULL) AND (answered_at IS NULL) = (answered_via IS NULL)),
  CHECK (comment IS NULL OR answered_at IS NOT NULL),
  -- an answered survey is never withdrawn
  CHECK (answered_at IS NULL OR withdrawn_at IS NULL)
);
CREATE UNIQUE INDEX satisfaction_survey_one_open_per_ticket ON satisfaction_survey (tenant_id, ticket_id)
  WHERE answered_at IS NULL AND withdrawn_at IS NULL;
CREATE INDEX satisfaction_survey_by_ticket ON satisfaction_survey (tenant_id, ticket_id, created_at DESC);

ALTER TABLE satisfaction_survey ENABLE ROW LEVEL SECURITY;
ALTER TABLE satisfaction_survey FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON satisfaction_survey
  USING (tenant_id = otklik_current_tenant())
  WITH CHECK (tenant_id = otklik_current_tenant());

GRANT SELECT, INSERT, UPDATE ON satisfaction_survey TO ${app_role};
