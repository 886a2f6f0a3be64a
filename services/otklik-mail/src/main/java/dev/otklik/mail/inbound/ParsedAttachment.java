package dev.otklik.mail.inbound;

import java.util.Arrays;
import java.util.Objects;

/**
 * One attachment (or inline resource) of a parsed mail.
 *
 * @param fileName decoded file name (RFC 2231 or RFC 2047); a generated one when the part had none
 * @param contentType the MIME type without parameters, lower-case, e.g. {@code application/pdf}
 * @param size decoded size in bytes
 * @param contentId the Content-ID without brackets for inline images of an HTML body, or null
 * @param bytes decoded content; empty when the part was refused as too large
 */
public record ParsedAttachment(String fileName, String contentType, long size, String contentId, byte[] bytes) {

  public ParsedAttachment {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(contentType, "contentType");
    bytes = bytes == null ? new byte[0] : bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** True when the content was dropped because it exceeded the attachment limit. */
  public boolean contentDropped() {
    return size > 0 && bytes.length == 0;
  }

  @Override
  public String toString() {
    return "ParsedAttachment[" + fileName + ", " + contentType + ", " + size + " bytes]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParsedAttachment a
        && a.fileName.equals(fileName)
        && a.contentType.equals(contentType)
        && a.size == size
        && Objects.equals(a.contentId, contentId)
        && Arrays.equals(a.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileName, contentType, size, contentId, Arrays.hashCode(bytes));
  }
}
