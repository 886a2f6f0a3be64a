-- A request gets its number at the end of the creating transaction (statement assign-number),
-- so the per-tenant counter's row lock is held for one statement and the commit instead of the
-- whole creation. Until then the row carries a provisional number ('pending:' || id) and no
-- number_seq; no committed row can stay like that.
ALTER TABLE ticket ALTER COLUMN number_seq DROP NOT NULL;
ALTER TABLE ticket ADD CONSTRAINT ticket_number_assigned
  CHECK ((number_seq IS NULL) = (number = 'pending:' || id::text));

-- Lists (statement list-tickets) read a page through an index on their sort key: the agent queue
-- filters by status, the "recently changed" view sorts by updated_at.
CREATE INDEX ticket_by_status_created ON ticket (tenant_id, status, created_at DESC);
CREATE INDEX ticket_by_updated ON ticket (tenant_id, updated_at DESC);
