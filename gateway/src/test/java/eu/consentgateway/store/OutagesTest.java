package eu.consentgateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

/** Which driver errors mean "the store cannot answer now" (503) rather than a bug (500). */
class OutagesTest {

  @Test
  void aWriteThatReachedAStandbyIsAnOutage() {
    // what a pooled connection gets while a failover moves the primary: retry later, not a 500
    assertEquals("postgresql", Outages.store(new PgException("cannot execute INSERT in a read-only transaction",
        "ERROR", "25006", null)));
  }

  @Test
  void otherErrorsOfClass25AreNot() {
    assertNull(Outages.store(new PgException("current transaction is aborted", "ERROR", "25P02", null)));
  }
}
