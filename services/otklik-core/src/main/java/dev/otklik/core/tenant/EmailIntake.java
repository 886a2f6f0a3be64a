package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * Rules for requests arriving by e-mail.
 *
 * @param forwardTo where to forward, exactly when {@code unregisteredSender} is {@code forward}
 */
public record EmailIntake(
    UnregisteredSenderAction unregisteredSender, Optional<ForwardTarget> forwardTo) {

  public EmailIntake {
    Objects.requireNonNull(unregisteredSender, "unregisteredSender");
    Objects.requireNonNull(forwardTo, "forwardTo");
  }
}
