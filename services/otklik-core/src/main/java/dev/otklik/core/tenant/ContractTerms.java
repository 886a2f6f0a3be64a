package dev.otklik.core.tenant;

import java.util.Objects;
import java.util.Optional;

/** Default support terms given to a new customer organisation. */
public record ContractTerms(Optional<SlaDuration> freeSupport, Optional<SlaDuration> warrantyMax) {

  public ContractTerms {
    Objects.requireNonNull(freeSupport, "freeSupport");
    Objects.requireNonNull(warrantyMax, "warrantyMax");
  }
}
