package eu.consentgateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.config.PgUrl;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PgFailuresTest {
  private static final PgUrl URL = new PgUrl("127.0.0.1", 5432, "consent_gateway", "postgres", "s3cret-password");
  private static final String AT = "PostgreSQL at postgresql://postgres@127.0.0.1:5432/consent_gateway";

  @Test
  void wrongPasswordNamesTheUserAndTheServersWords() {
    String line = PgFailures.describe(URL,
        new SQLException("FATAL: password authentication failed for user \"postgres\"", "28P01"));
    assertTrue(line.startsWith(AT + " refused the credentials of user postgres: FATAL: password authentication"
        + " failed for user \"postgres\""), line);
    assertFalse(line.contains("s3cret"), "never the password");
  }

  @Test
  void noHbaEntryIsAnAuthenticationFailureToo() {
    String line = PgFailures.describe(URL, new SQLException("FATAL: no pg_hba.conf entry for host", "28000"));
    assertTrue(line.startsWith(AT + " refused the credentials of user postgres: FATAL: no pg_hba.conf entry"), line);
  }

  @Test
  void vertxClientFailuresUseTheServerMessage() {
    String line = PgFailures.describe(URL,
        new PgException("password authentication failed for user \"postgres\"", "FATAL", "28P01", null));
    assertTrue(line.startsWith(AT + " refused the credentials of user postgres: password authentication failed"),
        line);
  }

  @Test
  void missingPasswordSaysThatTheUrlHasNone() {
    String line = PgFailures.describe(URL, new SQLException(
        "The server requested SCRAM-based authentication, but no password was provided.", "08004"));
    assertTrue(line.startsWith(AT + " asks user postgres for a password and CG_PG_URL has none: The server"
        + " requested SCRAM-based authentication"), line);
  }

  @Test
  void refusedConnectionSaysThatNothingAnswers() {
    String line = PgFailures.describe(URL, new SQLException("Connection to 127.0.0.1:5432 refused.", "08001",
        new ConnectException("Connection refused")));
    assertEquals("PostgreSQL does not answer at postgresql://postgres@127.0.0.1:5432/consent_gateway"
        + " (connection refused; start it with deploy/services.sh)", line);
  }

  @Test
  void unknownHostNamesTheHost() {
    PgUrl url = new PgUrl("db.invalid", 5432, "consent_gateway", "postgres", null);
    String line = PgFailures.describe(url, new SQLException("The connection attempt failed.", "08001",
        new UnknownHostException("db.invalid")));
    assertEquals("PostgreSQL host db.invalid is unknown (check CG_PG_URL)", line);
  }

  @Test
  void timeoutIsNotCalledARefusal() {
    String line = PgFailures.describe(URL, new SQLException("The connection attempt failed.", "08001",
        new SocketTimeoutException("connect timed out")));
    assertTrue(line.startsWith(AT + " did not answer in time"), line);
  }

  @Test
  void serverStartingUpSaysToRetry() {
    String line = PgFailures.describe(URL, new SQLException("FATAL: the database system is starting up", "57P03"));
    assertTrue(line.startsWith(AT + " is starting up or shutting down"), line);
  }

  @Test
  void anythingElseKeepsItsSqlState() {
    String line = PgFailures.describe(URL, new SQLException("FATAL: something new", "XX000"));
    assertEquals(AT + " failed: FATAL: something new (SQLSTATE XX000)", line);
  }
}
