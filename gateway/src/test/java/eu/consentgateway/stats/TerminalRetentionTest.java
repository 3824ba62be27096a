package eu.consentgateway.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.consentgateway.store.Database;
import eu.consentgateway.store.Migrations;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Vertx;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TerminalRetentionTest {
  @Test
  void eventsOlderThanTheRetentionArePurgedAndNewerOnesKept() {
    var url = TestStores.pg();
    Migrations.migrate(url);
    String site = TestStores.uniqueSite("retention");
    String insert = "INSERT INTO terminal.events (site_id, event_id, received_at, type, page, browser, os, device, "
        + "visitor_hash) SELECT '" + site + "', gen_random_uuid(), TIMESTAMPTZ '%s', 'pageview', 'https://a.example/', "
        + "'Chrome', 'Linux', 'Other', '\\x00'::bytea FROM generate_series(1, %d)";
    TestStores.execute(String.format(insert, "2024-10-01T00:00:00Z", 25)); // 26 months before "now"
    TestStores.execute(String.format(insert, "2025-01-01T00:00:00Z", 3));  // 23 months before "now"
    Vertx vertx = Vertx.vertx();
    try {
      var pool = Database.pool(vertx, url, Database.Role.STATS, 1, java.time.Duration.ofSeconds(30),
          java.time.Duration.ofSeconds(2));
      var retention = new TerminalRetention(pool, new MutableClock(Instant.parse("2026-12-01T00:00:00Z")), 25);
      long purged = TestGateway.await(retention.purge());
      assertEquals(0, TestStores.count("SELECT count(*) FROM terminal.events WHERE site_id = ? "
          + "AND received_at < '2024-11-01'", site));
      assertEquals(3, TestStores.count("SELECT count(*) FROM terminal.events WHERE site_id = ?", site));
      assertEquals(true, purged >= 25);
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}
