package dev.otklik.core.tenant;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a tenant classifies requests. Every list may be empty.
 *
 * @param priorities ordered from most to least urgent
 * @param requiredFields fields a request must have; {@code subject} and {@code description} when
 *     the file does not say
 */
public record Taxonomy(
    List<TaxonomyItem> kinds,
    List<TaxonomyItem> categories,
    List<TaxonomyItem> priorities,
    List<TaxonomyItem> severities,
    Set<RequestField> requiredFields) {

  public static final Set<RequestField> DEFAULT_REQUIRED_FIELDS =
      Collections.unmodifiableSet(EnumSet.of(RequestField.SUBJECT, RequestField.DESCRIPTION));

  public Taxonomy {
    kinds = List.copyOf(kinds);
    categories = List.copyOf(categories);
    priorities = List.copyOf(priorities);
    severities = List.copyOf(severities);
    requiredFields = requiredFields.isEmpty()
        ? Set.of()
        : Collections.unmodifiableSet(EnumSet.copyOf(requiredFields));
  }

  /**
   * The items an attribute takes its values from. {@link MatchAttribute#SERVICE} values come from
   * the catalogue, not the taxonomy, so that gives an empty list.
   */
  public List<TaxonomyItem> itemsOf(MatchAttribute attribute) {
    return switch (attribute) {
      case KIND -> kinds;
      case CATEGORY -> categories;
      case PRIORITY -> priorities;
      case SEVERITY -> severities;
      case SERVICE -> List.of();
    };
  }
}
