package dev.otklik.tenant;

import dev.otklik.core.tenant.CatalogueNode;
import dev.otklik.core.tenant.Channel;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.CustomerObligation;
import dev.otklik.core.tenant.FormField;
import dev.otklik.core.tenant.LibraryEntry;
import dev.otklik.core.tenant.Release;
import dev.otklik.core.tenant.SlaCell;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.Taxonomy;
import dev.otklik.core.tenant.TaxonomyItem;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WorkflowTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Ids are unique in every list that has them; catalogue ids across the whole tree. */
final class UniqueIdCheck implements TenantCheck {

  @Override
  public void check(TenantConfig config, Context context) {
    Taxonomy taxonomy = config.taxonomy();
    unique(context, "kind", Located.each(taxonomy.kinds(), "/taxonomy/kinds"), TaxonomyItem::id);
    unique(context, "category", Located.each(taxonomy.categories(), "/taxonomy/categories"), TaxonomyItem::id);
    unique(context, "priority", Located.each(taxonomy.priorities(), "/taxonomy/priorities"), TaxonomyItem::id);
    unique(context, "severity", Located.each(taxonomy.severities(), "/taxonomy/severities"), TaxonomyItem::id);
    unique(context, "catalogue", Located.catalogue(config.catalogue(), "/catalogue"), CatalogueNode::id);
    unique(context, "channel", Located.each(config.channels(), "/channels"), Channel::id);
    unique(context, "cell", Located.each(config.sla().cells(), "/sla/cells"), SlaCell::id);
    unique(context, "status", Located.each(config.workflow().statuses(), "/workflow/statuses"),
        status -> ConfigId.of(status.id()));
    unique(context, "timer", Located.each(config.workflow().timers(), "/workflow/timers"), WorkflowTimer::id);
    unique(context, "release", Located.each(config.releases(), "/releases"), Release::id);
    unique(context, "library", Located.each(config.library(), "/library"), LibraryEntry::id);
    unique(context, "obligation", Located.each(config.intake().customerObligations(), "/intake/customer-obligations"),
        CustomerObligation::id);
    config.requestForm().ifPresent(form -> {
      List<Located<FormField>> fields = Located.each(form.fields(), "/request-form/fields");
      unique(context, "field", fields, FormField::id);
      fields.forEach(field -> unique(context, "option",
          Located.each(field.value().options(), field.pointer() + "/options"), TaxonomyItem::id));
    });
    targetsAreUnique(config, context);
  }

  // A common target and a cell target with one id would give a request two targets of that id.
  private static void targetsAreUnique(TenantConfig config, Context context) {
    List<Located<SlaTarget>> common = Located.each(config.sla().commonTargets(), "/sla/common-targets");
    unique(context, "target", common, SlaTarget::id);
    for (Located<SlaCell> cell : Located.each(config.sla().cells(), "/sla/cells")) {
      List<Located<SlaTarget>> targets = new ArrayList<>(common);
      targets.addAll(Located.each(cell.value().targets(), cell.pointer() + "/targets"));
      unique(context, "target", targets, SlaTarget::id, common.size());
    }
  }

  private static <T> void unique(Context context, String what, List<Located<T>> items, Function<T, String> id) {
    unique(context, what, items, id, 0);
  }

  /** Reports each repeated id from index {@code reportFrom} on, naming where it first appeared. */
  private static <T> void unique(
      Context context, String what, List<Located<T>> items, Function<T, String> id, int reportFrom) {
    Map<String, String> firstAt = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Located<T> item = items.get(i);
      String key = id.apply(item.value());
      String first = firstAt.putIfAbsent(key, item.pointer());
      if (first != null && i >= reportFrom) {
        context.problem(item.pointer() + "/id", "duplicate " + what + " id \"" + key + "\" (first at " + first + ")");
      }
    }
  }
}
