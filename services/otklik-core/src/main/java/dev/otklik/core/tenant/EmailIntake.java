package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * Rules for requests arriving by e-mail.
 *
 * @param forwardTo where to forward, exactly when {@code unregisteredSender} is {@code forward}
 * @param address the support mailbox: mail is polled from it and notifications are sent from it;
 *     absent = the tenant's first e-mail channel
 * @param mailboxPasswordEnv the environment variable holding the mailbox's IMAP password; absent =
 *     the node's {@code mail.imap.password}
 */
public record EmailIntake(
    UnregisteredSenderAction unregisteredSender, Optional<ForwardTarget> forwardTo, Optional<String> address,
    Optional<String> mailboxPasswordEnv) {

  public EmailIntake {
    Objects.requireNonNull(unregisteredSender, "unregisteredSender");
    Objects.requireNonNull(forwardTo, "forwardTo");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(mailboxPasswordEnv, "mailboxPasswordEnv");
  }

  /** Rules without a mailbox of their own. */
  public EmailIntake(UnregisteredSenderAction unregisteredSender, Optional<ForwardTarget> forwardTo) {
    this(unregisteredSender, forwardTo, Optional.empty(), Optional.empty());
  }
}
