package eu.consentgateway.store;

import eu.consentgateway.config.PgUrl;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Says in one line why PostgreSQL could not be used at start-up, from a JDBC or Vert.x client failure. */
public final class PgFailures {
  private PgFailures() {
  }

  /** The failure as a start-up error; the URL is shown without its password. */
  public static StoreUnavailable unavailable(PgUrl url, Throwable failure) {
    return new StoreUnavailable(describe(url, failure));
  }

  static String describe(PgUrl url, Throwable failure) {
    String at = "PostgreSQL at " + url;
    String state = sqlState(failure);
    String message = serverMessage(failure);
    if ("28P01".equals(state) || "28000".equals(state)) {
      return at + " refused the credentials of user " + url.user() + ": " + message
          + " (put the password in CG_PG_URL; on a development machine deploy/services.sh lets postgres in over loopback)";
    }
    if ("08004".equals(state) && message.contains("password")) {
      // pgjdbc's own check: the server asks for a password and the URL carries none
      return at + " asks user " + url.user() + " for a password and CG_PG_URL has none: " + message
          + " (put it in CG_PG_URL; on a development machine deploy/services.sh lets postgres in over loopback)";
    }
    if ("3D000".equals(state)) {
      return at + " has no database " + url.database() + ": " + message;
    }
    if ("57P03".equals(state)) {
      return at + " is starting up or shutting down: " + message + " (retry in a few seconds)";
    }
    if ("53300".equals(state)) {
      return at + " has no connection left: " + message;
    }
    if (find(failure, UnknownHostException.class) != null) {
      return "PostgreSQL host " + url.host() + " is unknown (check CG_PG_URL)";
    }
    if (isTimeout(failure)) {
      return at + " did not answer in time (a firewall, or a server too busy to accept): " + message;
    }
    if (find(failure, NoRouteToHostException.class) != null) {
      return at + " cannot be reached (no route to host " + url.host() + ")";
    }
    if (find(failure, ConnectException.class) != null) {
      return "PostgreSQL does not answer at " + url + " (connection refused; start it with deploy/services.sh)";
    }
    return at + " failed: " + message + (state == null ? "" : " (SQLSTATE " + state + ")");
  }

  private static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        return db.getSqlState();
      }
    }
    return null;
  }

  private static String serverMessage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && pg.getErrorMessage() != null) {
        return pg.getErrorMessage();
      }
    }
    return String.valueOf(failure.getMessage());
  }

  private static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // netty's ConnectTimeoutException is a ConnectException: tell it apart by its name
      if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
