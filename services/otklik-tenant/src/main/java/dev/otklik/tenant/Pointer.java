package dev.otklik.tenant;

/** Builds JSON pointers (RFC 6901), the paths every problem is reported at. */
final class Pointer {

  /** The pointer of {@code segment} below {@code parent}: {@code child("/sla/cells", 3)} is {@code /sla/cells/3}. */
  static String child(String parent, Object segment) {
    return parent + "/" + escape(String.valueOf(segment));
  }

  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  private Pointer() {}
}
