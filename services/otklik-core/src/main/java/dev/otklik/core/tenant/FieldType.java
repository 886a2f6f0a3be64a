package dev.otklik.core.tenant;

/** Input types of a request-form field. */
public enum FieldType {
  TEXT,
  TEXTAREA,
  EMAIL,
  PHONE,
  DATE,
  DATETIME,
  SELECT,
  MULTI_SELECT;

  /** True for the types a customer picks from a list of options. */
  public boolean hasOptions() {
    return this == SELECT || this == MULTI_SELECT;
  }
}
