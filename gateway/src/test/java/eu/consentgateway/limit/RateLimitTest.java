package eu.consentgateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-client-prefix limits on anonymous work, counted for the whole deployment in Redis. */
class RateLimitTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  static final Map<String, String> LIMITS = Map.of("CG_TRUSTED_PROXIES", "127.0.0.1/32",
      "CG_RATE_CONSENTS_PER_MINUTE", "5", "CG_RATE_NOTICES_PER_MINUTE", "4", "CG_RATE_COLLECT_PER_MINUTE", "3",
      "CG_RATE_AUTH_FAILURES_PER_MINUTE", "5");
  static TestGateway a;
  static TestGateway b;

  @BeforeAll
  static void start() {
    a = TestGateway.start(TestStores.config(LIMITS), clock);
    b = TestGateway.start(TestStores.config(LIMITS), clock);
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
  }

  /** A fresh /24 for each test, so tests never share a window. */
  static String network() {
    int n = (int) (Math.random() * 200) + 20;
    int m = (int) (Math.random() * 250);
    return "10." + n + "." + m + ".";
  }

  static Map<String, String> from(String address) {
    return Map.of("X-Forwarded-For", address);
  }

  static void assertLimited(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r) {
    assertEquals(429, r.statusCode(), r.bodyAsString());
    assertEquals("rate_limited", r.bodyAsJsonObject().getString("error"));
    long retry = Long.parseLong(r.getHeader("Retry-After"));
    assertTrue(retry >= 1 && retry <= 120, "Retry-After " + retry);
  }

  @Test
  void consentsPastTheLimitAre429AndStoreNothing() {
    String site = TestStores.uniqueSite("limit-consent");
    a.createSite(site);
    String net = network();
    for (int i = 0; i < 5; i++) {
      // the whole /24 shares one budget, whatever the last byte
      var r = a.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()), from(net + i));
      assertEquals(201, r.statusCode(), r.bodyAsString());
    }
    assertLimited(a.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()), from(net + 99)));
    assertEquals(5, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site));
    var other = a.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()), from(network() + 1));
    assertEquals(201, other.statusCode(), "another network has its own budget");
    assertTrue(a.metric("cg_rate_limited_total{bucket=\"consents\"}") >= 1);
  }

  @Test
  void theLimitHoldsAcrossInstancesThroughRedis() throws Exception {
    // the count is per minute: start well inside one, so no window turns over during the test
    long second = (System.currentTimeMillis() / 1000) % 60;
    if (second > 45) {
      Thread.sleep((61 - second) * 1000);
    }
    String site = TestStores.uniqueSite("limit-two");
    a.createSite(site);
    String net = network();
    for (int i = 0; i < 3; i++) {
      assertEquals(201, a.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()),
          from(net + 1)).statusCode());
    }
    Thread.sleep(4 * RateLimiter.SYNC_MS); // a has added its three to Redis
    // b hears of this network with its first request, and of a's count at its next exchange
    assertEquals(201, b.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()),
        from(net + 2)).statusCode());
    Thread.sleep(4 * RateLimiter.SYNC_MS);
    int accepted = 1;
    for (int i = 0; i < 5; i++) {
      int status = b.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()),
          from(net + 2)).statusCode();
      accepted += status == 201 ? 1 : 0;
    }
    assertEquals(2, accepted, "instance b knew of the three made on a");
  }

  @Test
  void noticesAndBeaconsPastTheLimitAre429() {
    String site = TestStores.uniqueSite("limit-collect");
    a.createSite(site);
    String net = network();
    for (int i = 0; i < 4; i++) {
      assertEquals(201, a.postJson("/v1/sites/" + site + "/notices", new JsonObject(), from(net + 1)).statusCode());
    }
    assertLimited(a.postJson("/v1/sites/" + site + "/notices", new JsonObject(), from(net + 1)));
    JsonObject beacon = new JsonObject().put("siteId", site).put("type", "pageview").put("url", "https://shop.example/");
    Map<String, String> h = new HashMap<>(from(net + 7));
    h.put("Content-Type", "text/plain");
    for (int i = 0; i < 3; i++) {
      beacon.put("eventId", UUID.randomUUID().toString());
      assertEquals(204, a.send(HttpMethod.POST, "/v1/collect", h, beacon.toBuffer()).statusCode());
    }
    assertLimited(a.send(HttpMethod.POST, "/v1/collect", h, beacon.toBuffer()));
  }

  @Test
  void wrongKeysAreSlowedThenRefusedForTheWholeNetwork() {
    String net = network();
    long slowest = 0;
    for (int i = 0; i < 5; i++) {
      Map<String, String> h = new HashMap<>(from(net + 1));
      h.put("Authorization", "Bearer wrong-key-" + i);
      long start = System.nanoTime();
      assertEquals(401, a.get("/v1/admin/sites/none", h).statusCode());
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
    }
    assertTrue(slowest >= 300, "the fifth wrong key waited " + slowest + " ms");
    Map<String, String> right = new HashMap<>(from(net + 2));
    right.put("Authorization", "Bearer " + TestStores.ADMIN_TOKEN);
    assertLimited(a.get("/v1/admin/sites/none", right));
    Map<String, String> elsewhere = new HashMap<>(from(network() + 2));
    elsewhere.put("Authorization", "Bearer " + TestStores.ADMIN_TOKEN);
    assertEquals(404, a.get("/v1/admin/sites/none", elsewhere).statusCode(), "other networks are not locked out");
  }
}
