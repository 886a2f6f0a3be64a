package dev.otklik.core.tenant;

import java.util.Optional;

/** Fields of a request that a tenant may make mandatory. */
public enum RequestField {
  SUBJECT(null),
  DESCRIPTION(null),
  KIND(MatchAttribute.KIND),
  CATEGORY(MatchAttribute.CATEGORY),
  PRIORITY(MatchAttribute.PRIORITY),
  SEVERITY(MatchAttribute.SEVERITY),
  SERVICE(MatchAttribute.SERVICE);

  private final MatchAttribute classifier;

  RequestField(MatchAttribute classifier) {
    this.classifier = classifier;
  }

  /** The taxonomy or catalogue attribute this field picks a value of; empty for free text. */
  public Optional<MatchAttribute> classifier() {
    return Optional.ofNullable(classifier);
  }
}
