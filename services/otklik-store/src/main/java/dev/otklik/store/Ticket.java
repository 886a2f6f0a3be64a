package dev.otklik.store;

import dev.otklik.core.tenant.WorkflowStatus;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A request («обращение») of one tenant.
 *
 * @param number        the human number, e.g. {@code ASMO-2026-000123}: unique, gapless per tenant and year
 * @param form          the tenant's request-form answers by field id, or null
 * @param configVersion the tenant-config version in force at registration (its SLA terms)
 * @param finishedAt    when it was last closed or cancelled (the start of a reopen window), else null
 * @param version       increases with every change of fields or status; the ETag
 */
public record Ticket(
    UUID id,
    String tenantId,
    String number,
    String channel,
    WorkflowStatus status,
    String kind,
    String category,
    String priority,
    String severity,
    String service,
    String subject,
    String description,
    JsonObject form,
    UUID organisationId,
    UUID requesterId,
    UUID createdBy,
    UUID assigneeId,
    LocalDate plannedDate,
    OffsetDateTime callbackDueAt,
    Integer configVersion,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime finishedAt,
    int version) {}
