package dev.otklik.core.tenant;

import java.util.Objects;

/**
 * A contact channel, in display order.
 *
 * @param address a phone number as printed, an e-mail address (possibly internationalised), a
 *     portal URL or path ({@code /t/imc/}), or a messenger handle
 * @param acceptsRequests whether requests may be registered through this channel
 */
public record Channel(
    String id,
    ChannelType type,
    ChannelRole role,
    String address,
    LocalizedText label,
    ChannelHours hours,
    boolean acceptsRequests) {

  public Channel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(hours, "hours");
  }
}
