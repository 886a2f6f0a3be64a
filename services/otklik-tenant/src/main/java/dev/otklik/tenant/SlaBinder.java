package dev.otklik.tenant;

import static dev.otklik.tenant.CommonReaders.duration;
import static dev.otklik.tenant.CommonReaders.optionalDuration;
import static dev.otklik.tenant.CommonReaders.optionalText;
import static dev.otklik.tenant.CommonReaders.text;
import static dev.otklik.tenant.CommonReaders.vocabulary;

import dev.otklik.core.tenant.ClockStart;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.Escalation;
import dev.otklik.core.tenant.Side;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaPolicy;
import dev.otklik.core.tenant.SlaPolicyKind;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.StatusLabel;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.tenant.TimerAction;
import dev.otklik.core.tenant.Workflow;
import dev.otklik.core.tenant.WorkflowStatus;
import dev.otklik.core.tenant.WorkflowTimer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binds the {@code sla} and {@code workflow} sections of a tenant file. */
final class SlaBinder {

  static SlaPolicy policy(ConfigNode n) {
    return new SlaPolicy(
        n.parse("policy", vocabulary(SlaPolicyKind.class)),
        n.text("version"),
        optionalText(n, "statement"),
        Set.copyOf(n.list("pause-vendor-clocks-while", s -> s.as(vocabulary(WorkflowStatus.class)))),
        n.flag("customer-delay-releases-vendor", false),
        n.list("common-targets", SlaBinder::target),
        n.list("cells", SlaBinder::cell),
        n.optional("escalation", SlaBinder::escalation).orElse(Escalation.DEFAULT));
  }

  private static Escalation escalation(ConfigNode node) {
    return node.asObject(n -> new Escalation(
        Set.copyOf(n.optional("on", o -> o.asList(ConfigNode::asText)).orElse(List.copyOf(Escalation.DEFAULT.on()))),
        n.optional("notify", o -> o.asList(ConfigNode::asText)).orElse(Escalation.DEFAULT.recipients()),
        n.flag("bump-priority", false)));
  }

  private static SlaCell cell(ConfigNode node) {
    return node.asObject(n -> new SlaCell(
        n.text("id"),
        n.object("match", SlaBinder::match),
        optionalText(n, "note"),
        n.flag("notify-all-customers", false),
        n.get("targets").required().asList(SlaBinder::target)));
  }

  // The schema restricts the keys to the MatchAttribute ids; any other key is still refused here,
  // because asMap reads them all and the semantic checks resolve each against the taxonomy.
  private static Map<String, String> match(ConfigNode n) {
    return n.asMap(ConfigNode::asText);
  }

  private static SlaTarget target(ConfigNode node) {
    return node.asObject(n -> new SlaTarget(
        n.text("id"),
        n.parse("type", vocabulary(TargetType.class)),
        n.parse("side", vocabulary(Side.class)),
        n.parse("starts-on", vocabulary(ClockStart.class)),
        n.parse("stops-on", vocabulary(ClockStop.class)),
        duration(n, "duration"),
        optionalDuration(n, "warn-before"),
        optionalText(n, "label")));
  }

  static Workflow workflow(ConfigNode n) {
    return new Workflow(
        n.list("statuses", s -> s.asObject(status -> new StatusLabel(
            status.parse("id", vocabulary(WorkflowStatus.class)), text(status, "name")))),
        optionalDuration(n, "reopen-within"),
        n.get("customer-may-close").required().asBoolean(),
        n.list("timers", SlaBinder::timer));
  }

  private static WorkflowTimer timer(ConfigNode node) {
    return node.asObject(n -> new WorkflowTimer(
        n.text("id"),
        n.parse("starts-on", vocabulary(ClockStart.class)),
        n.optional("cancelled-by", c -> c.as(vocabulary(ClockStop.class))),
        duration(n, "after"),
        n.parse("action", vocabulary(TimerAction.class)),
        optionalText(n, "description")));
  }

  private SlaBinder() {}
}
