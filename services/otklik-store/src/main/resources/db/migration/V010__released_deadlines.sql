-- A vendor deadline set free by the customer's unexcused delay (tenant rule
-- sla.customer-delay-releases-vendor, ИМЦ): it stays on record with its due time but never breaches.
ALTER TABLE ticket_deadline DROP CONSTRAINT ticket_deadline_status_check;
ALTER TABLE ticket_deadline ADD CONSTRAINT ticket_deadline_status_check CHECK (status IN ('pending', 'running',
  'paused', 'met', 'breached', 'by-agreement', 'not-scheduled', 'released'));
