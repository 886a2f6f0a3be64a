package dev.otklik.core.tenant;

/** Who owes an SLA target: the vendor's desk or the customer. */
public enum Side {
  VENDOR,
  CUSTOMER
}
