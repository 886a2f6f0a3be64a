package dev.otklik.tenant;

import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.time.ProductionCalendar;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A rule a bound tenant configuration must keep that the schema cannot express: references
 * resolve, ids are unique, hours do not overlap. Problems are reported, never thrown, so a
 * vendor sees all of them at once.
 */
interface TenantCheck {

  void check(TenantConfig config, Context context);

  /**
   * What a check may look at besides the configuration.
   *
   * @param file the file being loaded
   * @param configRoot the configuration directory, which relative references start from
   * @param calendars the production calendars loaded alongside, by id
   */
  record Context(
      ConfigFile file, Path configRoot, Map<String, ProductionCalendar> calendars, Problems problems) {

    void problem(String path, String reason) {
      problems.add(path, reason);
    }
  }

  /** Every check, in the order a vendor would fix things. */
  static List<TenantCheck> all() {
    return List.of(
        new ReferenceCheck(),
        new UniqueIdCheck(),
        new BusinessHoursCheck(),
        new ChannelCheck(),
        new RequestShapeCheck(),
        new SignInCheck(),
        new SlaMatrixCheck(),
        new DurationCheck(),
        new WebhookCheck());
  }
}
