package dev.otklik.core.tenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How requests come in besides the portal, and what the customer must do to be served. */
public record Intake(
    EmailIntake email, Optional<PhoneIntake> phone, List<CustomerObligation> customerObligations) {

  public Intake {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(phone, "phone");
    customerObligations = List.copyOf(customerObligations);
  }
}
