package dev.otklik.tenant;

import dev.otklik.core.tenant.CatalogueNode;
import dev.otklik.core.tenant.ClockStop;
import dev.otklik.core.tenant.ConfigId;
import dev.otklik.core.tenant.FormField;
import dev.otklik.core.tenant.MatchAttribute;
import dev.otklik.core.tenant.RequestField;
import dev.otklik.core.tenant.SlaTarget;
import dev.otklik.core.tenant.TargetType;
import dev.otklik.core.tenant.TenantConfig;
import dev.otklik.core.tenant.WorkflowTimer;

/**
 * What a request is made of can be filled in: required fields have values to choose from,
 * select fields have options, and the request form exists wherever a rule waits for it.
 */
final class RequestShapeCheck implements TenantCheck {

  @Override
  public void check(TenantConfig config, Context context) {
    requiredFieldsHaveValues(config, context);
    config.requestForm().ifPresent(form -> {
      for (Located<FormField> field : Located.each(form.fields(), "/request-form/fields")) {
        boolean hasOptions = !field.value().options().isEmpty();
        if (field.value().type().hasOptions() && !hasOptions) {
          context.problem(field.pointer() + "/options", "a " + ConfigId.of(field.value().type()) + " field needs options");
        } else if (!field.value().type().hasOptions() && hasOptions) {
          context.problem(field.pointer() + "/options", "only select and multi-select fields have options");
        }
      }
    });
    if (config.requestForm().isEmpty()) {
      formRulesNeedAForm(config, context);
    }
  }

  private static void requiredFieldsHaveValues(TenantConfig config, Context context) {
    for (RequestField field : config.taxonomy().requiredFields()) {
      field.classifier().ifPresent(attribute -> {
        boolean hasValues = switch (attribute) {
          case SERVICE -> CatalogueNode.walk(config.catalogue()).anyMatch(CatalogueNode::requestable);
          default -> !config.taxonomy().itemsOf(attribute).isEmpty();
        };
        if (!hasValues) {
          context.problem("/taxonomy/required-fields", ConfigId.of(field) + " is required, but there is no "
              + (attribute == MatchAttribute.SERVICE
                  ? "requestable catalogue node" : ConfigId.of(attribute)) + " to choose");
        }
      });
    }
  }

  private static void formRulesNeedAForm(TenantConfig config, Context context) {
    for (Located<SlaTarget> target : Located.targets(config.sla())) {
      if (target.value().type() == TargetType.FORM_SUBMISSION) {
        context.problem(target.pointer() + "/type", "form-submission needs a request-form");
      } else if (target.value().stopsOn() == ClockStop.FORM_RECEIVED) {
        context.problem(target.pointer() + "/stops-on", "form-received needs a request-form");
      }
    }
    for (Located<WorkflowTimer> timer : Located.each(config.workflow().timers(), "/workflow/timers")) {
      if (timer.value().cancelledBy().filter(ClockStop.FORM_RECEIVED::equals).isPresent()) {
        context.problem(timer.pointer() + "/cancelled-by", "form-received needs a request-form");
      }
    }
  }
}
