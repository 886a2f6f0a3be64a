package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * Rules for requests arriving by phone.
 *
 * @param callbackWithin the deadline of a hotline callback promise
 */
public record PhoneIntake(Optional<SlaDuration> callbackWithin) {

  public PhoneIntake {
    Objects.requireNonNull(callbackWithin, "callbackWithin");
  }
}
