-- Workflow timers (tenant-config workflow.timers: close-by-timeout, allow-close, auto-accept,
-- escalate, remind) are durable rows in sla_timer, claimed and fired by the same mechanism as
-- the SLA timers (V008): kind 'workflow', target_id 'workflow:<timer id>', and the action to
-- run. The table keeps its forced row-level security.
ALTER TABLE sla_timer DROP CONSTRAINT sla_timer_kind_check;
ALTER TABLE sla_timer ADD CONSTRAINT sla_timer_kind_check CHECK (kind IN ('warning', 'breach', 'workflow'));
ALTER TABLE sla_timer ADD COLUMN action text
  CHECK (action IN ('close-by-timeout', 'allow-close', 'auto-accept', 'escalate', 'remind'));
ALTER TABLE sla_timer ADD CONSTRAINT sla_timer_workflow_action CHECK ((kind = 'workflow') = (action IS NOT NULL));
