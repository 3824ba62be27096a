package eu.consentgateway.store;

import eu.consentgateway.http.ApiError;
import io.vertx.pgclient.PgException;

/** Turns driver errors that callers can cause into domain errors, so handlers never see SQLSTATEs. */
public final class SqlErrors {
  private SqlErrors() {
  }

  public static Throwable translate(Throwable t) {
    if (t instanceof PgException pg) {
      String state = pg.getSqlState();
      if ("23505".equals(state)) {
        return ApiError.conflict("the resource already exists or was changed concurrently; retry");
      }
      if ("23503".equals(state)) {
        return ApiError.badRequest("unknown_reference", "the request refers to something that does not exist");
      }
      if (dataError(t)) {
        return ApiError.badRequest("invalid_value", "a value cannot be stored (wrong form, length or character)");
      }
    }
    return t;
  }

  /** SQLSTATE class 22 (data exception): the value, not the store, is at fault. */
  public static boolean dataError(Throwable t) {
    return t instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22");
  }
}
