package eu.consentgateway.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statistics over seeded terminal events with known answers: exact figures, the k-anonymity fold per day and cell,
 * '(other)' dropped below k, days in the site's time zone, rollups equal to a direct count, CSV equal to JSON, key
 * scoping and every bad input.
 */
class StatsTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  static TestGateway gw;
  static String site;
  static String other;
  static String marketing;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(clock);
    site = TestStores.uniqueSite("stats");
    other = TestStores.uniqueSite("stats-b");
    gw.createSite(site);
    gw.createSite(other);
    marketing = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "marketing")
        .put("sites", new JsonArray().add(site)), TestGateway.admin()).bodyAsJsonObject().getString("token");
    // 5 October (Paris): /a 6 visitors, /b exactly k = 5, /c 4, /d 1 and /f 1 fold into (other), 6 distinct: kept
    seed("2026-10-05T10:00:00Z", "/a", 1, 2, 3, 4, 5, 6, 1, 2);
    seed("2026-10-05T10:00:00Z", "/b", 1, 2, 3, 4, 5);
    seed("2026-10-05T10:00:00Z", "/c", 1, 2, 3, 4);
    seed("2026-10-05T10:00:00Z", "/d", 7);
    // 6 October: /a 3 visitors and /e 1, both below k, and their (other) has 3 distinct: dropped
    seed("2026-10-06T10:00:00Z", "/a", 11, 12, 13);
    seed("2026-10-06T10:00:00Z", "/e", 11);
    // one person a day on /f for five days never passes as five visitors
    for (int day = 1; day <= 5; day++) {
      seed("2026-10-0" + day + "T09:00:00Z", "/f", 100 + day);
    }
    // 23:30 UTC on the 6th is 01:30 on the 7th in Paris: it counts on the 7th
    seed("2026-10-06T23:30:00Z", "/g", 21, 22, 23, 24, 25);
    var rebuilt = gw.postJson("/v1/admin/stats/rollups", new JsonObject().put("siteId", site)
        .put("from", "2026-09-30").put("to", "2026-10-08"), TestGateway.admin());
    assertEquals(200, rebuilt.statusCode(), rebuilt.bodyAsString());
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  /** One pageview per visitor number given, at {@code at}, on {@code path}. */
  static void seed(String at, String path, int... visitors) {
    seed(site, at, path, visitors);
  }

  /** One pageview of {@code siteId} per visitor number given, at {@code at}, on {@code path}. */
  static void seed(String siteId, String at, String path, int... visitors) {
    StringBuilder values = new StringBuilder();
    for (int v : visitors) {
      if (values.length() > 0) {
        values.append(',');
      }
      values.append(String.format("('%s', gen_random_uuid(), date_trunc('month', TIMESTAMPTZ '%s' AT TIME ZONE 'UTC'),"
          + " TIMESTAMPTZ '%s', 'pageview', 'https://shop.example%s', 'Firefox', 'Linux', 'Other', 'FR', 'fr',"
          + " decode(lpad(to_hex(%d), 32, '0'), 'hex'))", siteId, at, at, path, v));
    }
    TestStores.execute("INSERT INTO terminal.events (site_id, event_id, month, received_at, type, page, browser, os,"
        + " device, country, language, visitor_hash) VALUES " + values);
  }

  static HttpResponse<Buffer> get(String path, String key, Map<String, String> more) {
    Map<String, String> h = new HashMap<>(more);
    if (key != null) {
      h.put("Authorization", "Bearer " + key);
    }
    return gw.get(path, h);
  }

  static JsonObject traffic(String query) {
    var r = get("/v1/stats/" + site + "/traffic?" + query, marketing, Map.of());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static Map<String, List<Long>> rows(JsonObject t) {
    return t.getJsonArray("rows").stream().map(o -> (JsonObject) o).collect(Collectors.toMap(
        r -> r.getString("key"), r -> List.of(r.getLong("pageviews"), r.getLong("visitors"))));
  }

  @Test
  void keysBelowKOnADayFoldIntoOtherAndOtherBelowKIsDropped() {
    JsonObject day5 = traffic("from=2026-10-05&to=2026-10-05&dimension=page");
    assertEquals(Map.of("https://shop.example/a", List.of(8L, 6L), "https://shop.example/b", List.of(5L, 5L)),
        rows(day5), "k - 1 folds, k stays");
    assertEquals(6L, day5.getJsonObject("other").getLong("visitors"), "distinct over /c, /d and /f");
    assertEquals(6L, day5.getJsonObject("other").getLong("pageviews"));
    assertEquals(3L, day5.getLong("suppressed"), "/c, /d and /f were folded");
    assertEquals(5, day5.getInteger("k"));
    assertEquals("daily-unique", day5.getString("visitorsAre"));

    JsonObject day6 = traffic("from=2026-10-06&to=2026-10-06&dimension=page");
    assertEquals(Map.of(), rows(day6));
    assertNull(day6.getJsonObject("other"), "an (other) below k is dropped");
    assertEquals(2L, day6.getLong("suppressed"), "/a and /e of the 6th");
  }

  @Test
  void onePersonOnFiveDaysNeverPassesAsFiveVisitors() {
    JsonObject week = traffic("from=2026-10-01&to=2026-10-07&dimension=page&limit=1000");
    assertFalse(rows(week).containsKey("https://shop.example/f"), week.encodePrettily());
    assertEquals(List.of(8L, 6L), rows(week).get("https://shop.example/a"), "only the 5th counts for /a");
  }

  @Test
  void pagesOfKeysKeepTheirTotalOtherAndSuppressedCounts() {
    JsonObject first = traffic("from=2026-10-05&to=2026-10-05&dimension=page&limit=1&offset=0");
    JsonObject second = traffic("from=2026-10-05&to=2026-10-05&dimension=page&limit=1&offset=1");
    JsonObject past = traffic("from=2026-10-05&to=2026-10-05&dimension=page&limit=1&offset=5");
    assertEquals(List.of("https://shop.example/a"), first.getJsonArray("rows").stream()
        .map(o -> ((JsonObject) o).getString("key")).toList(), "sorted by visitors");
    assertEquals(List.of("https://shop.example/b"), second.getJsonArray("rows").stream()
        .map(o -> ((JsonObject) o).getString("key")).toList());
    assertEquals(0, past.getJsonArray("rows").size());
    for (JsonObject page : List.of(first, second, past)) {
      assertEquals(2L, page.getLong("total"), page.encode());
      assertEquals(3L, page.getLong("suppressed"), page.encode());
      assertEquals(6L, page.getJsonObject("other").getLong("visitors"), page.encode());
    }
  }

  @Test
  void spansGiveTheSameAnswerAsTheDaysTheyHold() {
    assertTrue(TestStores.count("SELECT count(*) FROM stats.span_rollups WHERE site_id = ? AND k = 5", site) > 0,
        "rolling up a day builds the spans that hold it");
    List<String> queries = List.of("from=2026-10-01&to=2026-10-07&dimension=page&limit=1000",
        "from=2026-09-01&to=2026-11-30&dimension=page", "from=2026-10-04&to=2026-10-06&dimension=browser",
        "from=2026-10-05&to=2026-10-05&dimension=page&limit=1&offset=1");
    List<JsonObject> withSpans = queries.stream().map(StatsTest::traffic).toList();
    long spans = TestStores.count("SELECT count(*) FROM stats.span_rollups WHERE site_id = ?", site);
    try {
      TestStores.execute("UPDATE stats.span_rollups SET k = k + 100 WHERE site_id = '" + site + "'");
      for (int i = 0; i < queries.size(); i++) {
        JsonObject days = traffic(queries.get(i));
        for (String field : new String[] {"rows", "other", "total", "suppressed"}) {
          assertEquals(days.getValue(field), withSpans.get(i).getValue(field), queries.get(i) + ": " + field);
        }
      }
    } finally {
      TestStores.execute("UPDATE stats.span_rollups SET k = k - 100 WHERE site_id = '" + site + "'");
    }
    assertEquals(spans, TestStores.count("SELECT count(*) FROM stats.span_rollups WHERE site_id = ? AND k = 5", site));
  }

  @Test
  void noSpanHoldingTodayIsBuiltAndRangesThroughTodayStayExact() {
    // the test clock's today is 26 November (Paris); the 2-day span of 23-24 November has ended, the 4-day span of
    // 23-26 and every longer one hold today
    seed("2026-11-24T10:00:00Z", "/n", 31, 32, 33, 34, 35, 36);
    seed("2026-11-26T10:00:00Z", "/n", 31, 32, 33, 34, 35);
    seed("2026-11-26T10:00:00Z", "/t", 41, 42);
    var rebuilt = gw.postJson("/v1/admin/stats/rollups", new JsonObject().put("siteId", site)
        .put("from", "2026-11-23").put("to", "2026-11-26"), TestGateway.admin());
    assertEquals(200, rebuilt.statusCode(), rebuilt.bodyAsString());
    assertEquals(1L, TestStores.count("SELECT count(*) FROM stats.span_rollups WHERE site_id = ? AND span = 2"
        + " AND start = DATE '2026-11-23'", site), "the ended span is built");
    assertEquals(0L, TestStores.count("SELECT count(*) FROM stats.span_rollups WHERE site_id = ?"
        + " AND start + span > DATE '2026-11-26'", site), "no span that holds today");
    assertEquals(0L, TestStores.count("SELECT count(*) FROM stats.traffic_spans WHERE site_id = ?"
        + " AND start + span > DATE '2026-11-26'", site), "no span rows that hold today");
    JsonObject week = traffic("from=2026-11-20&to=2026-11-26&dimension=page");
    assertEquals(List.of(11L, 11L), rows(week).get("https://shop.example/n"), week.encode());
    assertEquals(1L, week.getLong("suppressed"), "today's /t: 2 visitors, and its (other) too: dropped");
  }

  @Test
  void daysAreTheSitesTimeZoneDays() {
    JsonObject days = traffic("from=2026-10-05&to=2026-10-07&dimension=day");
    Map<String, List<Long>> byDay = rows(days);
    assertEquals(List.of(5L, 5L), byDay.get("2026-10-07"), "23:30 UTC on the 6th is the 7th in Paris");
    assertEquals(List.of(19L, 8L), byDay.get("2026-10-05"));
    assertFalse(byDay.containsKey("2026-10-06"), "4 visitors on the 6th: below k");
    assertEquals(1L, days.getLong("suppressed"));
  }

  @Test
  void rollupsEqualADirectCountOverTheRawEvents() {
    long direct = TestStores.count("""
        SELECT count(*) FROM (
          SELECT (received_at AT TIME ZONE 'Europe/Paris')::date AS day, page, count(*) AS pv,
                 count(DISTINCT visitor_hash) AS v
            FROM terminal.events WHERE site_id = ? GROUP BY 1, 2 HAVING count(DISTINCT visitor_hash) >= 5) d
         WHERE NOT EXISTS (SELECT 1 FROM stats.traffic_daily t WHERE t.site_id = ? AND t.dimension = 'page'
                             AND t.day = d.day AND t.key = d.page AND t.pageviews = d.pv AND t.visitors = d.v)""",
        site, site);
    assertEquals(0, direct, "every key at or above k has exactly its raw figures");
    assertEquals(3, TestStores.count("SELECT count(*) FROM stats.traffic_daily WHERE site_id = ? AND dimension = "
        + "'page' AND key <> '(other)'", site));
  }

  @Test
  void csvHoldsTheSameRowsAsJson() {
    String query = "/v1/stats/" + site + "/traffic?from=2026-10-01&to=2026-10-07&dimension=page";
    JsonObject json = get(query, marketing, Map.of()).bodyAsJsonObject();
    var csv = get(query, marketing, Map.of("Accept", "text/csv"));
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    List<String> lines = csv.bodyAsString().lines().toList();
    assertEquals("key,pageviews,visitors", lines.get(0));
    JsonArray rows = json.getJsonArray("rows");
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      assertEquals(r.getString("key") + "," + r.getLong("pageviews") + "," + r.getLong("visitors"), lines.get(i + 1));
    }
    JsonObject o = json.getJsonObject("other");
    assertEquals("(other)," + o.getLong("pageviews") + "," + o.getLong("visitors"), lines.get(rows.size() + 1));
  }

  @Test
  void aMarketingKeyReadsOnlyItsSites() {
    String path = "/stats/%s/summary?from=2026-10-01&to=2026-10-07";
    assertEquals(200, get("/v1" + path.formatted(site), marketing, Map.of()).statusCode());
    var foreign = get("/v1" + path.formatted(other), marketing, Map.of());
    assertEquals(403, foreign.statusCode());
    assertEquals("forbidden", foreign.bodyAsJsonObject().getString("error"));
    assertEquals(401, get("/v1" + path.formatted(site), null, Map.of()).statusCode());
    assertEquals(200, get("/v1" + path.formatted(other), TestStores.ADMIN_TOKEN, Map.of()).statusCode(),
        "admin keys read every site");
    var listed = get("/v1/stats/sites", marketing, Map.of()).bodyAsJsonObject().getJsonArray("sites");
    assertEquals(1, listed.size());
    assertEquals(site, listed.getJsonObject(0).getString("siteId"));
  }

  @Test
  void badInputIs400AndComputesNothing() {
    Map<String, String> cases = Map.of(
        "from=2026-10-01&to=2026-10-07&dimension=colour", "invalid_dimension",
        "from=2026-10-01&to=2026-10-07", "invalid_dimension",
        "from=01/10/2026&to=2026-10-07&dimension=page", "invalid_date",
        "from=2026-02-30&to=2026-10-07&dimension=page", "invalid_date",
        "from=2026-10-08&to=2026-10-07&dimension=page", "invalid_range",
        "from=2025-01-01&to=2026-10-07&dimension=page", "range_too_long",
        "from=2026-10-01&to=2026-10-07&dimension=page&limit=0", "invalid_limit",
        "from=2026-10-01&to=2026-10-07&dimension=page&limit=1001", "invalid_limit",
        "to=2026-10-07&dimension=page", "invalid_date");
    cases.forEach((query, code) -> {
      var r = get("/v1/stats/" + site + "/traffic?" + query, marketing, Map.of());
      assertEquals(400, r.statusCode(), query);
      assertEquals(code, r.bodyAsJsonObject().getString("error"), query);
    });
    var interval = get("/v1/stats/" + site + "/consent?from=2026-10-01&to=2026-10-07&interval=hour", marketing,
        Map.of());
    assertEquals("invalid_interval", interval.bodyAsJsonObject().getString("error"));
  }

  @Test
  void theStatsSchemaHoldsCountsThatJoinNoOne() {
    assertEquals(0, TestStores.count("""
        SELECT count(*) FROM information_schema.columns WHERE table_schema = 'stats'
          AND column_name ~ '(subject|account|token|consent_id|visitor_hash|email|ip)'"""));
    for (String table : new String[] {"terminal.events", "consent.events", "consent.notices", "identity.accounts"}) {
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> TestStores.execute("SET ROLE cg_stats; SELECT 1 FROM " + table + " LIMIT 1"));
      assertTrue(e.getMessage().contains("permission denied"), table + ": " + e.getMessage());
    }
  }
}
