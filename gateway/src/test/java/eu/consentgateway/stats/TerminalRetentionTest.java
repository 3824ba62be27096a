package eu.consentgateway.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.store.Jobs;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Raw months past the retention go as whole partitions, and only once every day in them is rolled up. */
class TerminalRetentionTest {
  @Test
  void aMonthPastTheRetentionIsDroppedOnlyOnceRolledUpAndItsFiguresStay() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    try (TestGateway gw = TestGateway.start(clock)) {
      String site = TestStores.uniqueSite("retention");
      gw.createSite(site);
      // a month 30 to 90 months back, different on each run, so runs never share it
      LocalDate month = LocalDate.of(2026, 11, 1).minusMonths(30 + (long) (Math.random() * 60));
      TestStores.execute("SELECT terminal.ensure_partition('" + month + "')");
      String insert = "INSERT INTO terminal.events (site_id, event_id, month, received_at, type, page, browser, os, "
          + "device, visitor_hash) SELECT '" + site + "', gen_random_uuid(), DATE '" + month + "', TIMESTAMPTZ '"
          + month + "T12:00:00Z' + (g % 3) * interval '1 day', 'pageview', 'https://a.example/', 'Firefox', 'Linux', "
          + "'Other', decode(lpad(to_hex(g), 32, '0'), 'hex') FROM generate_series(1, 30) g";
      TestStores.execute(insert);
      String partition = "terminal.events_" + month.toString().substring(0, 7).replace('-', '_');
      Jobs.Job retention = gw.gateway().statistics().retentionJob();

      var dry = TestGateway.await(gw.gateway().jobs().runNow("terminal-retention", retention, true));
      assertTrue(dry.would().isEmpty(), "not rolled up: nothing would go " + dry.would());
      TestGateway.await(gw.gateway().jobs().runNow("terminal-retention", retention, false));
      assertEquals(1, TestStores.count("SELECT count(*) FROM pg_class WHERE oid = to_regclass(?)", partition),
          "kept while its days are not rolled up");

      var rebuilt = gw.postJson("/v1/admin/stats/rollups", new JsonObject().put("siteId", site)
          .put("from", month.toString()).put("to", month.plusDays(3).toString()), TestGateway.admin());
      assertEquals(200, rebuilt.statusCode(), rebuilt.bodyAsString());
      var wouldNow = TestGateway.await(gw.gateway().jobs().runNow("terminal-retention", retention, true));
      assertTrue(wouldNow.would().stream().anyMatch(w -> w.contains(month.toString()) && w.contains("30 events")),
          wouldNow.would().toString());
      assertEquals(1, TestStores.count("SELECT count(*) FROM pg_class WHERE oid = to_regclass(?)", partition),
          "a dry run changes nothing");
      TestGateway.await(gw.gateway().jobs().runNow("terminal-retention", retention, false));
      assertEquals(0, TestStores.count("SELECT count(*) FROM pg_class WHERE oid = to_regclass(?)", partition),
          "dropped once rolled up");
      assertEquals(30, TestStores.count("SELECT coalesce(sum(pageviews), 0) FROM stats.site_daily WHERE site_id = ?",
          site), "the figures stay");
    }
  }
}
