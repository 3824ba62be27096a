package eu.consentgateway.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The consent funnel from real notices and choices: counts per method, rates, buckets, the previous period. */
class ConsentStatsTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-10-14T10:00:00Z"));
  static TestGateway gw;
  static String site;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(clock);
    site = TestStores.uniqueSite("funnel");
    gw.createSite(site);
    // Wednesday 14 October: 10 banners, 8 choices, one withdrawal
    for (int i = 0; i < 10; i++) {
      assertEquals(201, gw.postJson("/v1/sites/" + site + "/notices", new JsonObject(), Map.of()).statusCode());
    }
    for (int i = 0; i < 3; i++) {
      gw.consent(TestGateway.consentBody(site, "accept_all", Map.of("statistics", true, "prospecting", true)));
    }
    gw.consent(TestGateway.consentBody(site, "reject_all", Map.of()));
    gw.consent(TestGateway.consentBody(site, "dismiss", Map.of()));
    String token = gw.consent(TestGateway.consentBody(site, "reject_all", Map.of())).getString("token");
    for (int i = 0; i < 2; i++) {
      gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true)));
    }
    clock.set(Instant.parse("2026-10-19T10:00:00Z")); // the next Monday: a withdrawal, and a banner
    assertEquals(200, gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(token)).statusCode());
    gw.postJson("/v1/sites/" + site + "/notices", new JsonObject(), Map.of());
    clock.set(Instant.parse("2026-11-26T12:00:00Z"));
    assertEquals(200, gw.postJson("/v1/admin/stats/rollups", new JsonObject().put("siteId", site)
        .put("from", "2026-10-01").put("to", "2026-10-31"), TestGateway.admin()).statusCode());
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static JsonObject consent(String query) {
    var r = gw.get("/v1/stats/" + site + "/consent?" + query, TestGateway.admin());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void theFunnelCountsEveryMethodAndItsRates() {
    JsonObject day = consent("from=2026-10-14&to=2026-10-14").getJsonObject("totals");
    assertEquals(10L, day.getLong("notices"));
    assertEquals(8L, day.getLong("choices"));
    assertEquals(3L, day.getLong("acceptAll"));
    assertEquals(2L, day.getLong("rejectAll"));
    assertEquals(1L, day.getLong("dismiss"));
    assertEquals(2L, day.getLong("custom"));
    assertEquals(0L, day.getLong("withdrawals"));
    assertEquals(0.8, day.getDouble("interactionRate"));
    JsonObject statistics = day.getJsonObject("purposes").getJsonObject("statistics");
    assertEquals(5L, statistics.getLong("granted"));
    assertEquals(3L, statistics.getLong("refused"));
    assertEquals(0.5, statistics.getDouble("optInRate"));
    assertEquals(0.3, day.getJsonObject("purposes").getJsonObject("prospecting").getDouble("optInRate"));
  }

  @Test
  void weeksAreIsoWeeksAndThePreviousPeriodHasTheSameLength() {
    JsonObject weekly = consent("from=2026-10-12&to=2026-10-25&interval=week&compare=previous");
    assertEquals(2, weekly.getJsonArray("buckets").size());
    JsonObject second = weekly.getJsonArray("buckets").getJsonObject(1);
    assertEquals("2026-10-19", second.getString("start"));
    assertEquals("2026-10-25", second.getString("end"));
    assertEquals(1L, second.getLong("withdrawals"));
    assertEquals(1L, second.getLong("notices"));
    JsonObject previous = weekly.getJsonObject("previous");
    assertEquals("2026-09-28", previous.getString("from"));
    assertEquals("2026-10-11", previous.getString("to"));
    assertEquals(0L, previous.getJsonObject("totals").getLong("notices"));
    JsonObject monthly = consent("from=2026-10-01&to=2026-10-31&interval=month");
    assertEquals(1, monthly.getJsonArray("buckets").size());
    assertEquals(11L, monthly.getJsonArray("buckets").getJsonObject(0).getLong("notices"));
  }

  @Test
  void theSummaryGivesConsentCoverageAndCsvTheSameFigures() {
    var r = gw.get("/v1/stats/" + site + "/summary?from=2026-10-14&to=2026-10-14", TestGateway.admin());
    assertEquals(0.5, r.bodyAsJsonObject().getDouble("consentCoverage"), r.bodyAsString());
    Map<String, String> csv = new java.util.HashMap<>(TestGateway.admin());
    csv.put("Accept", "text/csv");
    String text = gw.get("/v1/stats/" + site + "/consent?from=2026-10-14&to=2026-10-14", csv).bodyAsString();
    assertTrue(text.startsWith("start,end,notices,choices,acceptAll"), text);
    assertTrue(text.contains("\r\n2026-10-14,2026-10-14,10,8,3,2,2,0,1,0,"), text);
  }
}
