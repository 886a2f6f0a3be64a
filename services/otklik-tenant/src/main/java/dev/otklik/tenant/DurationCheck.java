package dev.otklik.tenant;

import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.CustomerObligation;
import dev.otklik.core.tenant.DurationUnit;
import dev.otklik.core.tenant.SlaDuration;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WorkflowTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Every duration can be worked out where it is used: release-based units have releases of
 * their type, timers and deadlines that fire by themselves are not "by agreement", warnings
 * are fixed amounts shorter than what they warn about.
 */
final class DurationCheck implements TenantCheck {

  /** What a place accepts. */
  private enum Accepts {
    /** Any unit: an agent may set the date by agreement. */
    ANY,
    /** Any unit the platform can schedule by itself: not by-agreement. */
    SCHEDULABLE,
    /** An amount of a unit: no special unit. */
    AMOUNT
  }

  private record Site(String pointer, SlaDuration duration, Accepts accepts) {}

  @Override
  public void check(TenantConfig config, Context context) {
    for (Site site : sites(config)) {
      SlaDuration duration = site.duration();
      if (site.accepts() == Accepts.AMOUNT && !duration.unit().takesAmount()) {
        context.problem(site.pointer(), "must be an amount such as \"4 working-hours\", not " + duration);
      } else if (site.accepts() == Accepts.SCHEDULABLE && duration.unit() == DurationUnit.BY_AGREEMENT) {
        context.problem(site.pointer(), "cannot be by-agreement: nobody sets a date here, the platform must work it out");
      }
      duration.unit().releaseType().ifPresent(type -> {
        if (config.releases().stream().noneMatch(release -> release.type() == type)) {
          context.problem(site.pointer(), duration + " needs at least one " + ConfigId.of(type)
              + " release in /releases");
        }
      });
    }
    for (Located<SlaTarget> target : Located.targets(config.sla())) {
      target.value().warnBefore().ifPresent(warning -> {
        if (!isShorter(warning, target.value().duration())) {
          context.problem(target.pointer() + "/warn-before", "a warning " + warning
              + " before a deadline of " + target.value().duration() + " would come before the clock starts");
        }
      });
    }
  }

  private static List<Site> sites(TenantConfig config) {
    List<Site> sites = new ArrayList<>();
    for (Located<SlaTarget> target : Located.targets(config.sla())) {
      sites.add(new Site(target.pointer() + "/duration", target.value().duration(), Accepts.ANY));
      target.value().warnBefore().ifPresent(w -> sites.add(new Site(target.pointer() + "/warn-before", w, Accepts.AMOUNT)));
    }
    config.requestForm().flatMap(form -> form.requiredWithin())
        .ifPresent(d -> sites.add(new Site("/request-form/required-within", d, Accepts.SCHEDULABLE)));
    config.workflow().reopenWithin()
        .ifPresent(d -> sites.add(new Site("/workflow/reopen-within", d, Accepts.SCHEDULABLE)));
    for (Located<WorkflowTimer> timer : Located.each(config.workflow().timers(), "/workflow/timers")) {
      sites.add(new Site(timer.pointer() + "/after", timer.value().after(), Accepts.SCHEDULABLE));
    }
    config.intake().phone().flatMap(phone -> phone.callbackWithin())
        .ifPresent(d -> sites.add(new Site("/intake/phone/callback-within", d, Accepts.SCHEDULABLE)));
    for (Located<CustomerObligation> duty : Located.each(config.intake().customerObligations(), "/intake/customer-obligations")) {
      sites.add(new Site(duty.pointer() + "/within", duty.value().within(), Accepts.SCHEDULABLE));
    }
    config.contract().ifPresent(contract -> {
      contract.freeSupport().ifPresent(d -> sites.add(new Site("/contract/free-support", d, Accepts.AMOUNT)));
      contract.warrantyMax().ifPresent(d -> sites.add(new Site("/contract/warranty-max", d, Accepts.AMOUNT)));
    });
    return sites;
  }

  /**
   * True unless the warning is known to be at least as long as the deadline. Units that need the
   * calendar to compare (working hours against working days) or a date (releases) are let
   * through.
   */
  private static boolean isShorter(SlaDuration warning, SlaDuration deadline) {
    if (!warning.unit().takesAmount()) {
      return true; // refused as not an amount already
    }
    OptionalLong warningMinutes = minutes(warning);
    OptionalLong deadlineMinutes = minutes(deadline);
    if (warningMinutes.isPresent() && deadlineMinutes.isPresent() && sameClock(warning, deadline)) {
      return warningMinutes.getAsLong() < deadlineMinutes.getAsLong();
    }
    return warning.unit() != deadline.unit() || warning.amount() < deadline.amount();
  }

  private static boolean sameClock(SlaDuration a, SlaDuration b) {
    return a.unit().isClockTime() == b.unit().isClockTime();
  }

  private static OptionalLong minutes(SlaDuration duration) {
    return switch (duration.unit()) {
      case CLOCK_MINUTES, WORKING_MINUTES -> OptionalLong.of(duration.amount());
      case CLOCK_HOURS, WORKING_HOURS -> OptionalLong.of(duration.amount() * 60L);
      default -> OptionalLong.empty();
    };
  }
}
