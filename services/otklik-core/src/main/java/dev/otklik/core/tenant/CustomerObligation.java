package dev.otklik.core.tenant;

import java.util.Objects;

/** A duty of the customer with a deadline, such as keeping the roster of authorised users. */
public record CustomerObligation(
    String id, LocalizedText description, SlaDuration within, ObligationTrigger startsOn) {

  public CustomerObligation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(within, "within");
    Objects.requireNonNull(startsOn, "startsOn");
  }
}
