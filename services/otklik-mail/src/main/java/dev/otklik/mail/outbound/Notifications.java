package dev.otklik.mail.outbound;

import dev.otklik.core.tenant.LocalizedText;
import dev.otklik.core.tenant.NotificationTemplate;
import dev.otklik.mail.TenantMail;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The notifications Otklik sends, by event id, with built-in Russian and English texts. A tenant
 * overrides any of them with {@code notifications.<event-id>} in its file (subject, text and
 * optionally HTML); without HTML of its own, the HTML part is the text in the tenant's brand frame
 * ({@link #branded}).
 */
public final class Notifications {

  public static final String REQUEST_REGISTERED = "request-registered";
  public static final String CALLBACK_PROMISED = "callback-promised";
  public static final String COMMENT_ADDED = "comment-added";
  public static final String CLARIFICATION_REQUESTED = "clarification-requested";
  public static final String SOLUTION_PROPOSED = "solution-proposed";
  public static final String STATUS_CHANGED = "status-changed";
  public static final String SLA_WARNING = "sla-warning";
  public static final String SLA_BREACHED = "sla-breached";
  public static final String ESCALATED = "escalated";
  public static final String WEBHOOK_DISABLED = "webhook-endpoint-disabled";
  public static final String PASSWORD_RESET = "password-reset";
  /** The customer-satisfaction survey of a closed request, with its signed single-use link. */
  public static final String SATISFACTION_SURVEY = "satisfaction-survey";
  public static final String MASS_NOTICE = "mass-notice";
  public static final String UNREGISTERED_SENDER = "unregistered-sender";
  public static final String FORWARDED = "forwarded";

  /**
   * Mail a customer may opt out of; everything else is part of the support contract. (An
   * opted-out customer's survey is not mailed at all: it waits on the request's page.)
   */
  public static final Set<String> NON_CONTRACTUAL =
      Set.of(STATUS_CHANGED, MASS_NOTICE + ":news", SATISFACTION_SURVEY);

  private static final Map<String, NotificationTemplate> DEFAULTS = Map.ofEntries(
      t(REQUEST_REGISTERED, "[{{number}}] Обращение зарегистрировано", "[{{number}}] Request registered",
          "Ваше обращение «{{subject}}» зарегистрировано под номером {{number}} ({{created-at}}). {{tenant-name}}.",
          "Your request \"{{subject}}\" has been registered as {{number}} ({{created-at}}). {{tenant-name}}."),
      t(CALLBACK_PROMISED, "[{{number}}] Мы перезвоним", "[{{number}}] We will call you back",
          "Ваше обращение по телефону зарегистрировано под номером {{number}} ({{created-at}}). "
              + "Мы перезвоним вам не позднее {{callback-due}}. {{tenant-name}}.",
          "Your call has been registered as request {{number}} ({{created-at}}). "
              + "We will call you back by {{callback-due}}. {{tenant-name}}."),
      t(COMMENT_ADDED, "[{{number}}] Новый комментарий", "[{{number}}] New comment",
          "{{author}} ответил(а) по обращению {{number}} «{{subject}}»:\n\n{{body}}\n\n"
              + "Чтобы ответить, ответьте на это письмо. {{tenant-name}}.",
          "{{author}} replied to request {{number}} \"{{subject}}\":\n\n{{body}}\n\n"
              + "Reply to this mail to answer. {{tenant-name}}."),
      t(CLARIFICATION_REQUESTED, "[{{number}}] Нужно уточнение", "[{{number}}] Clarification needed",
          "По обращению {{number}} «{{subject}}» нам нужно уточнение. Ответьте на это письмо или в кабинете. "
              + "{{tenant-name}}.",
          "We need a clarification on request {{number}} \"{{subject}}\". Reply to this mail or in the portal. "
              + "{{tenant-name}}."),
      t(SOLUTION_PROPOSED, "[{{number}}] Решение на проверку", "[{{number}}] Solution for verification",
          "По обращению {{number}} «{{subject}}» предложено решение. Проверьте его и примите или верните "
              + "на доработку. {{tenant-name}}.",
          "A solution to request {{number}} \"{{subject}}\" is ready. Please verify it and accept it or return "
              + "it for rework. {{tenant-name}}."),
      t(STATUS_CHANGED, "[{{number}}] Статус: {{status}}", "[{{number}}] Status: {{status}}",
          "Статус обращения {{number}} «{{subject}}» изменён: {{status}}. {{tenant-name}}.",
          "The status of request {{number}} \"{{subject}}\" is now {{status}}. {{tenant-name}}."),
      t(SLA_WARNING, "[{{number}}] Срок SLA скоро истекает", "[{{number}}] SLA deadline approaching",
          "По обращению {{number}} «{{subject}}» скоро истекает срок ({{target}}).",
          "The {{target}} deadline of request {{number}} \"{{subject}}\" is approaching."),
      t(SLA_BREACHED, "[{{number}}] Срок SLA нарушен", "[{{number}}] SLA deadline breached",
          "По обращению {{number}} «{{subject}}» нарушен срок ({{target}}).",
          "The {{target}} deadline of request {{number}} \"{{subject}}\" has been breached."),
      t(ESCALATED, "[{{number}}] Эскалация обращения", "[{{number}}] Request escalated",
          "Обращение {{number}} «{{subject}}» эскалировано ({{target}}). Приоритет: {{priority}}.",
          "Request {{number}} \"{{subject}}\" has been escalated ({{target}}). Priority: {{priority}}."),
      t(WEBHOOK_DISABLED, "Вебхук отключён: {{url}}", "Webhook endpoint disabled: {{url}}",
          "Точка приёма вебхуков {{url}} отключена: {{reason}}. События для неё больше не отправляются; "
              + "исправьте приёмник и включите точку снова в консоли администратора.\n\n{{tenant-name}}.",
          "The webhook endpoint {{url}} has been disabled: {{reason}}. No more events are sent to it; fix the "
              + "receiver and enable the endpoint again in the admin console.\n\n{{tenant-name}}."),
      t(PASSWORD_RESET, "Сброс пароля: {{tenant-name}}", "Password reset: {{tenant-name}}",
          "{{name}}, чтобы задать новый пароль в службе поддержки {{tenant-name}}, откройте ссылку в течение часа:\n"
              + "{{link}}\n\nЕсли вы не запрашивали сброс, просто не открывайте её: пароль останется прежним.",
          "{{name}}, to set a new password for the {{tenant-name}} support desk, open this link within an hour:\n"
              + "{{link}}\n\nIf you did not ask for a reset, ignore it: your password stays as it is."),
      t(SATISFACTION_SURVEY, "[{{number}}] Оцените, как мы помогли", "[{{number}}] How did we do?",
          "{{name}}, обращение {{number}} «{{subject}}» завершено. Оцените, пожалуйста, как мы с ним справились: "
              + "от 1 до 5, и, если хотите, напишите пару слов. Вход в кабинет не нужен:\n{{link}}\n\n"
              + "Ссылка действует до {{valid-until}} и принимает один ответ. Спасибо! {{tenant-name}}.",
          "{{name}}, request {{number}} \"{{subject}}\" is resolved. Please rate how we handled it, from 1 to 5, "
              + "and add a few words if you like. No sign-in needed:\n{{link}}\n\n"
              + "The link works until {{valid-until}} and takes one answer. Thank you! {{tenant-name}}."),
      t(MASS_NOTICE, "{{title}}", "{{title}}", "{{body}}\n\n{{tenant-name}}.", "{{body}}\n\n{{tenant-name}}."),
      t(UNREGISTERED_SENDER, "Письмо не зарегистрировано: {{subject}}", "Your mail was not registered: {{subject}}",
          "Ваше письмо «{{subject}}» не зарегистрировано как обращение: адрес {{sender}} не зарегистрирован "
              + "в службе поддержки {{tenant-name}}. Обратитесь к ответственному сотруднику вашей организации "
              + "или зарегистрируйтесь в кабинете.",
          "Your mail \"{{subject}}\" was not registered as a request: the address {{sender}} is not registered "
              + "with {{tenant-name}} support. Please ask your organisation's contact person or register in the "
              + "portal."),
      t(FORWARDED, "Пересылка: {{subject}}", "Forwarded: {{subject}}",
          "Письмо от {{sender}}, не зарегистрированного в службе поддержки {{tenant-name}}, пересылается вам "
              + "без регистрации обращения. Оригинал во вложении.\n\n{{body}}",
          "Mail from {{sender}}, who is not registered with {{tenant-name}} support, is forwarded to you without "
              + "registering a request. The original is attached.\n\n{{body}}"));

  private Notifications() {}

  private static Map.Entry<String, NotificationTemplate> t(String id, String subjectRu, String subjectEn,
      String textRu, String textEn) {
    return Map.entry(id, new NotificationTemplate(LocalizedText.of(subjectRu, subjectEn),
        LocalizedText.of(textRu, textEn)));
  }

  /** The tenant's template for {@code event}, else the built-in one, with the branded HTML part. */
  public static MailTemplate template(TenantMail tenant, String event) {
    NotificationTemplate base = tenant.template(event).orElseGet(() -> {
      NotificationTemplate d = DEFAULTS.get(event);
      if (d == null) {
        throw new IllegalArgumentException("no notification " + event);
      }
      return d;
    });
    return new MailTemplate(base.subject(), base.text(), Optional.of(base.html().orElseGet(() -> branded(tenant,
        base.text()))));
  }

  /**
   * The HTML part: the text (placeholders kept, so values are escaped when filled) inside a
   * frame with the tenant's name on its primary colour.
   */
  static LocalizedText branded(TenantMail tenant, LocalizedText text) {
    return new LocalizedText(frame(tenant, tenant.name().ru(), text.ru()),
        text.en().map(en -> frame(tenant, tenant.name().en().orElse(tenant.name().ru()), en)));
  }

  private static String frame(TenantMail tenant, String name, String text) {
    String color = tenant.primaryColor() != null && tenant.primaryColor().matches("#[0-9A-Fa-f]{3,8}")
        ? tenant.primaryColor() : "#1f4e79";
    String body = MailTemplate.escapeHtml(text).replace("{{", "{{").replace("\n", "<br>\n");
    return "<!DOCTYPE html><html><body style=\"margin:0;font-family:Arial,sans-serif;color:#222\">"
        + "<div style=\"background:" + color + ";color:#fff;padding:12px 16px;font-size:18px\">"
        + MailTemplate.escapeHtml(name) + "</div>"
        + "<div style=\"padding:16px;font-size:14px;line-height:1.5\">" + body + "</div></body></html>";
  }
}
