package eu.consentgateway.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.LogCapture;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Consent-gated collection: stored only under a valid statistics consent, enriched, apart from any person. */
class CollectTest {
  static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/124.0.0.0 Safari/537.36";
  static MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  static TestGateway gw;
  String site;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(TestStores.config(Map.of("CG_TRUSTED_PROXIES", "127.0.0.1/32")), clock);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @BeforeEach
  void site() {
    clock.set(Instant.parse("2026-11-26T12:00:00Z"));
    site = TestStores.uniqueSite("collect");
    gw.createSite(site);
  }

  long stored() {
    return TestStores.count("SELECT count(*) FROM terminal.events WHERE site_id = ?", site);
  }

  String token(boolean statistics) {
    return gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", statistics)))
        .getString("token");
  }

  JsonObject beacon(String token) {
    JsonObject b = new JsonObject().put("siteId", site).put("type", "pageview")
        .put("url", "https://shop.example/products/42?email=someone@example.com#top")
        .put("referrer", "https://www.search.example/q?x=1").put("screen", new JsonObject().put("w", 1920).put("h", 1080))
        .put("eventId", UUID.randomUUID().toString());
    return token == null ? b : b.put("token", token);
  }

  int post(JsonObject body, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>(Map.of("Content-Type", "text/plain;charset=UTF-8", "User-Agent", CHROME,
        "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.8", "X-Forwarded-For", "203.0.113.77"));
    h.putAll(headers);
    return gw.send(HttpMethod.POST, "/v1/collect", h, body.toBuffer()).statusCode();
  }

  @Test
  void withoutConsentNothingIsStored() {
    assertEquals(204, post(beacon(null), Map.of()));
    assertEquals(204, post(beacon(token(false)), Map.of()), "consent that refuses statistics");
    assertEquals(0, stored());
  }

  @Test
  void consentedBeaconIsStoredEnrichedAndWithoutPersonalData() {
    assertEquals(202, post(beacon(token(true)), Map.of("Sec-CH-UA-Platform", "\"Windows\"", "Sec-CH-UA-Mobile", "?0")));
    assertEquals(1, TestStores.count("""
        SELECT count(*) FROM terminal.events WHERE site_id = ? AND type = 'pageview'
          AND page = 'https://shop.example/products/42' AND referrer_host = 'www.search.example'
          AND browser = 'Chrome' AND browser_major = '124' AND os = 'Windows' AND mobile = false
          AND language = 'fr' AND screen_w = 1920 AND screen_h = 1080 AND length(visitor_hash) = 16""", site));
  }

  @Test
  void everyBatchedWriteIsTimedAndCountedUnderItsWriter() {
    String rows = "cg_store_write_rows_sum{writer=\"collect\"}";
    String writes = "cg_store_write_seconds_count{writer=\"collect\"}";
    String seconds = "cg_store_write_seconds_sum{writer=\"collect\"}";
    String consentRows = "cg_store_write_rows_sum{writer=\"consents\"}";
    double consentRowsBefore = gw.metric(consentRows);
    String token = token(true);
    assertEquals(1, gw.metric(consentRows) - consentRowsBefore, "the consent's ledger row, under its own writer");
    double rowsBefore = gw.metric(rows);
    double writesBefore = gw.metric(writes);
    double secondsBefore = gw.metric(seconds);
    for (int i = 0; i < 5; i++) {
      assertEquals(202, post(beacon(token), Map.of()));
    }
    assertEquals(204, post(beacon(null), Map.of()), "nothing to write");
    // each 202 waited for its commit, so its write is already counted
    assertEquals(5, gw.metric(rows) - rowsBefore, "one row per accepted beacon, none for the 204");
    double timed = gw.metric(writes) - writesBefore;
    assertTrue(timed >= 1 && timed <= 5, "one write per batch: " + timed);
    assertTrue(gw.metric(seconds) > secondsBefore, "the writes took time");
    assertEquals(consentRowsBefore + 1, gw.metric(consentRows), "beacons are not counted under the ledger's writer");
  }

  @Test
  void duplicateEventIdIsStoredOnce() {
    JsonObject b = beacon(token(true));
    assertEquals(202, post(b, Map.of()));
    assertEquals(202, post(b, Map.of()));
    assertEquals(1, stored());
  }

  @Test
  void forgedExpiredForeignAndWithdrawnTokensAreDroppedSilently() {
    JsonObject c = gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true)));
    String token = c.getString("token");
    String forged = token.substring(0, token.length() - 3) + "abc";
    String other = TestStores.uniqueSite("collect-other");
    gw.createSite(other);
    String foreign = gw.consent(TestGateway.consentBody(other, "custom", Map.of("statistics", true))).getString("token");
    assertEquals(204, post(beacon(forged), Map.of()));
    assertEquals(204, post(beacon(foreign), Map.of()));
    assertEquals(204, post(beacon(token), Map.of("Origin", "https://evil.example")));
    clock.set(Instant.parse(c.getString("expiresAt")).plusSeconds(1));
    assertEquals(204, post(beacon(token), Map.of()));
    clock.set(Instant.parse("2026-11-26T12:00:00Z"));
    assertEquals(200, gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(token)).statusCode());
    assertEquals(204, post(beacon(token), Map.of()));
    assertEquals(0, stored());
  }

  @Test
  void badBeaconsAreRefusedAndChangeNothing() {
    String token = token(true);
    assertEquals(400, gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain"),
        Buffer.buffer("{not json")).statusCode());
    assertEquals(400, post(beacon(token).put("type", "click"), Map.of()));
    assertEquals(400, post(beacon(token).put("url", "javascript:alert(1)"), Map.of()));
    assertEquals(400, post(beacon(token).put("screen", new JsonObject().put("w", "wide")), Map.of()));
    assertEquals(400, post(beacon(token).put("eventId", "nope"), Map.of()));
    assertEquals(413, post(beacon(token).put("props", new JsonObject().put("x", "y".repeat(17_000))), Map.of()));
    assertEquals(415, gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "application/xml"),
        beacon(token).toBuffer()).statusCode());
    assertEquals(404, post(beacon(token).put("siteId", "no-such-site"), Map.of()));
    assertEquals(0, stored());
  }

  @Test
  void terminalDataCannotBeJoinedToAPerson() {
    // no terminal column names a subject, an account, a token or a consent
    assertEquals(0, TestStores.count("""
        SELECT count(*) FROM information_schema.columns WHERE table_schema = 'terminal'
          AND (column_name ~ '(subject|account|token|consent|email|ip)')"""));
    // the terminal writer's role cannot read identity (nor the consent ledger)
    IllegalStateException identity = assertThrows(IllegalStateException.class,
        () -> TestStores.execute("SET ROLE cg_terminal; SELECT * FROM identity.accounts"));
    assertTrue(identity.getMessage().contains("permission denied"), identity.getMessage());
    IllegalStateException ledger = assertThrows(IllegalStateException.class,
        () -> TestStores.execute("SET ROLE cg_terminal; SELECT * FROM consent.events"));
    assertTrue(ledger.getMessage().contains("permission denied"), ledger.getMessage());
  }

  @Test
  void visitorHashIsStableWithinADayAndUnlinkableAcrossDays() {
    // other gateways of the suite run on today's clock and delete this past day's salt: start from none
    TestStores.execute("DELETE FROM ops.visitor_salts WHERE day = '2026-11-27'");
    TestStores.redisDel(gw.gateway().redisKey("salt:Europe/Paris:2026-11-27"));
    String token = token(true);
    assertEquals(202, post(beacon(token), Map.of()));
    assertEquals(202, post(beacon(token), Map.of()));
    assertEquals(1, TestStores.count("SELECT count(DISTINCT visitor_hash) FROM terminal.events WHERE site_id = ?", site));
    clock.advance(Duration.ofDays(1));
    assertEquals(202, post(beacon(token), Map.of()));
    assertEquals(2, TestStores.count("SELECT count(DISTINCT visitor_hash) FROM terminal.events WHERE site_id = ?", site),
        "a new day's salt gives the same visitor another hash");
    // one salt per day of the site's time zone, for the whole deployment, expiring ten minutes after its day
    assertEquals(1, TestStores.count("SELECT count(*) FROM ops.visitor_salts WHERE zone = 'Europe/Paris' "
        + "AND day = '2026-11-27' AND expires_at = '2026-11-27T23:10:00Z'"));
    long ttl = TestStores.redisTtl(gw.gateway().redisKey("salt:Europe/Paris:2026-11-27"));
    assertTrue(ttl > 0 && ttl <= Duration.ofHours(11).plusMinutes(10).toSeconds(), "ttl " + ttl);
  }

  @Test
  void fullAddressAppearsInNoTableAndNoLog() throws Exception {
    try (LogCapture log = new LogCapture()) {
      String token = token(true);
      assertEquals(202, post(beacon(token), Map.of("X-Forwarded-For", "198.51.100.213")));
      gw.postJson("/v1/consents", TestGateway.consentBody(site, "custom", Map.of("statistics", true)),
          Map.of("X-Forwarded-For", "198.51.100.213"));
      assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND ip_prefix = "
          + "'198.51.100.0/24'", site), "the consent proof keeps the /24 only");
      assertFalse(log.text().contains("198.51.100.213"), "full address in the log");
      assertFalse(log.text().contains(token), "token in the log");
    }
    String dump = TestStores.dumpDatabase();
    assertTrue(dump.contains("198.51.100.0/24"), "the dump is readable and holds the truncated prefix");
    assertFalse(dump.contains("198.51.100.213"), "full address stored somewhere");
    assertFalse(dump.contains("203.0.113.77"), "full address stored somewhere");
  }
}
