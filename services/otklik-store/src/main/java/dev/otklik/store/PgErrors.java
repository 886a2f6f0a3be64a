package dev.otklik.store;

import io.vertx.pgclient.PgException;

/** Recognises the PostgreSQL errors a store turns into problems a client can act on. */
final class PgErrors {

  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";

  private PgErrors() {}

  /** True when {@code failure} is {@code sqlState} raised by the named constraint (or index). */
  static boolean is(Throwable failure, String sqlState, String constraint) {
    return failure instanceof PgException pg
        && sqlState.equals(pg.getSqlState())
        && constraint.equals(pg.getConstraint());
  }
}
