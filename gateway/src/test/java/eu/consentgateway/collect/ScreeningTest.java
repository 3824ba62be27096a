package eu.consentgateway.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.LogCapture;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Free text a page sends is screened before it is stored; values PostgreSQL cannot store are refused alone. */
class ScreeningTest {
  static final String EMAIL = "jeanne.martin@example.org";
  static final String IPV4 = "192.0.2.146";
  static final String IPV6 = "2001:db8:85a3::8a2e:370:7334";
  // drawn per run: other tests of the shared database store phone numbers of their own
  static final String DIGITS = String.format("%08d", (long) (Math.random() * 100_000_000));
  static final String PHONE = "+33 7 " + DIGITS.substring(0, 2) + " " + DIGITS.substring(2, 4) + " "
      + DIGITS.substring(4, 6) + " " + DIGITS.substring(6, 8);
  static final String CARD = "4970" + DIGITS + "7890";
  static final String ID = "3f2b8c1e-9d4a-4b7e-a1c2-5e6f7a8b9c0d";
  static MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  static TestGateway gw;
  String site;
  String token;

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
    site = TestStores.uniqueSite("screen");
    gw.createSite(site);
    token = gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true))).getString("token");
  }

  JsonObject beacon() {
    return new JsonObject().put("siteId", site).put("type", "pageview").put("token", token)
        .put("url", "https://shop.example/").put("eventId", UUID.randomUUID().toString());
  }

  int post(JsonObject body, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>(Map.of("Content-Type", "text/plain", "X-Forwarded-For", "203.0.113.7"));
    h.putAll(headers);
    return gw.send(HttpMethod.POST, "/v1/collect", h, body.toBuffer()).statusCode();
  }

  @Test
  void personalDataInPathsPropsNamesAndHintsNeverReachTheDatabaseOrTheLog() throws Exception {
    String hint = "\"Not A(Brand\";v=\"8\", \"Microsoft Edge\";v=\"124\", \"" + EMAIL + " " + IPV4 + "\";v=\"1\"";
    String hugeHint = "\"" + EMAIL + "\";v=\"1\", \"x\";v=\"" + "9".repeat(8_900) + "\"";
    try (LogCapture log = new LogCapture()) {
      assertEquals(202, post(beacon()
          .put("url", "https://shop.example/account/" + EMAIL + "/orders/" + ID + "/from/" + IPV4 + "/v6/"
              + IPV6.replace(":", "%3A") + "/call/" + PHONE.replace(" ", "%20") + "/s/a7f9c2e4b1d8f6a3c5e7")
          .put("referrer", "http://" + IPV4 + "/login")
          .put("props", new JsonObject().put("contact", "write to " + EMAIL).put("card", CARD)
              .put("phone", Long.parseLong("337" + DIGITS)).put("plan", "premium").put("qty", 3)),
          Map.of("User-Agent", "Mozilla/5.0", "Sec-CH-UA", hint, "Sec-CH-UA-Platform", "\"" + EMAIL + "\"")));
      assertEquals(202, post(beacon().put("type", "event").put("name", "called " + PHONE.replace("+", "")),
          Map.of("Sec-CH-UA", hugeHint)));
      String text = log.text();
      for (String secret : List.of(EMAIL, IPV4, "8a2e:370:7334", PHONE.substring(7), CARD, "337" + DIGITS, ID, token)) {
        assertFalse(text.contains(secret), "in the log: " + secret);
      }
    }
    assertEquals(1, TestStores.count("""
        SELECT count(*) FROM terminal.events WHERE site_id = ? AND page =
          'https://shop.example/account/:email/orders/:id/from/:ip/v6/:ip/call/:number/s/:id'
          AND referrer_host = ':ip' AND props ->> 'contact' = 'write to :email' AND props ->> 'card' = ':number'
          AND props ->> 'phone' = ':number' AND props ->> 'plan' = 'premium' AND (props ->> 'qty')::int = 3
          AND browser = 'Edge' AND browser_major = '124' AND os = 'Other'""", site));
    assertEquals(1, TestStores.count("SELECT count(*) FROM terminal.events WHERE site_id = ? AND name = 'called :number'",
        site));
    String dump = TestStores.dumpDatabase();
    for (String secret : List.of(EMAIL, IPV4, "8a2e:370:7334", PHONE.substring(7), CARD, "337" + DIGITS, ID,
        "a7f9c2e4b1d8f6a3c5e7", "9".repeat(100))) {
      assertFalse(dump.contains(secret), "in the database: " + secret);
    }
  }

  @Test
  void propsAreBoundedInCountKeysAndValues() {
    JsonObject many = new JsonObject();
    for (int i = 0; i < 21; i++) {
      many.put("k" + i, i);
    }
    assertEquals(400, post(beacon().put("props", many), Map.of()));
    assertEquals(400, post(beacon().put("props", new JsonObject().put("bad key!", 1)), Map.of()));
    assertEquals(400, post(beacon().put("props", new JsonObject().put("k", "v".repeat(201))), Map.of()));
    assertEquals(400, post(beacon().put("props", new JsonObject().put("k", new JsonObject())), Map.of()));
    assertEquals(0, TestStores.count("SELECT count(*) FROM terminal.events WHERE site_id = ?", site));
  }

  @Test
  void anIpv6AddressCarryingAnIpv4OneKeepsOnlyThatIpv4sSlash24() {
    // 6to4 of 198.51.100.23; Teredo of client 198.51.100.89 (inverted bits); NAT64; IPv4-mapped
    String[] forms = {"2002:c633:6417::1", "2001:0:4136:e378:8000:63bf:39cc:9ba6", "64:ff9b::c633:6442",
        "::ffff:198.51.100.61"};
    for (String address : forms) {
      var r = gw.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()),
          Map.of("X-Forwarded-For", address));
      assertEquals(201, r.statusCode(), address);
    }
    assertEquals(forms.length, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? "
        + "AND ip_prefix = '198.51.100.0/24'", site));
  }

  @Test
  void aValuePostgresCannotStoreIsRefusedAloneAndTheBatchCommits() throws Exception {
    List<CompletableFuture<Integer>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      JsonObject b = i % 4 == 0 ? beacon().put("props", new JsonObject().put("k", "nul\u0000here")) : beacon();
      String body = i % 8 == 4 ? b.encode().replace("\"type\":\"pageview\"", "\"type\":\"page\\u0000view\"") : b.encode();
      sent.add(CompletableFuture.supplyAsync(() -> gw.send(HttpMethod.POST, "/v1/collect",
          Map.of("Content-Type", "text/plain"), Buffer.buffer(body)).statusCode()));
    }
    int stored = 0;
    for (int i = 0; i < sent.size(); i++) {
      int status = sent.get(i).get();
      if (i % 4 == 0) {
        assertEquals(400, status, "beacon " + i);
      } else {
        assertEquals(202, status, "beacon " + i);
        stored++;
      }
    }
    assertEquals(stored, TestStores.count("SELECT count(*) FROM terminal.events WHERE site_id = ?", site));
    var named = gw.putJson("/v1/admin/sites/" + TestStores.uniqueSite("screen-nul"),
        TestGateway.siteDocument("https://shop.example").put("name", "Shop\u0000"), TestGateway.admin());
    assertEquals(400, named.statusCode(), named.bodyAsString());
    assertEquals("invalid_character", named.bodyAsJsonObject().getString("error"));
  }
}
