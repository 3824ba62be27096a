package eu.consentgateway.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.OwnRedis;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis frozen, killed and back, on a Redis of the test's own with two instances: beacons and consents go on in
 * bounded time, readiness says degraded (not down), a withdrawal still stops the old token everywhere within a
 * second or so, fan-out works again once Redis returns, and the visitor salt stays one per day.
 */
class RedisFaultTest {
  static OwnRedis redis;
  static TestGateway a;
  static TestGateway b;
  String site;

  @BeforeAll
  static void start() {
    redis = OwnRedis.start();
    Map<String, String> env = Map.of("CG_REDIS_URL", redis.url(), "CG_REDIS_PREFIX", "cg:fault-"
        + UUID.randomUUID().toString().substring(0, 8) + ":");
    a = TestGateway.start(TestStores.config(env), Clock.systemUTC());
    b = TestGateway.start(TestStores.config(env), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    redis.close();
  }

  @BeforeEach
  void site() {
    site = TestStores.uniqueSite("redis-fault");
    a.createSite(site);
  }

  String token() {
    return a.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true))).getString("token");
  }

  static int current(TestGateway gw, String site, String token) {
    return gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode();
  }

  int beacon(TestGateway gw, String token) {
    JsonObject body = new JsonObject().put("siteId", site).put("type", "pageview").put("token", token)
        .put("url", "https://shop.example/").put("eventId", UUID.randomUUID().toString());
    return gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain"), body.toBuffer())
        .statusCode();
  }

  /** Milliseconds until {@code gw} refuses {@code token}, at most {@code limitMs} (then the limit). */
  static long untilRefused(TestGateway gw, String site, String token, long limitMs) throws InterruptedException {
    long start = System.nanoTime();
    while ((System.nanoTime() - start) / 1_000_000 < limitMs) {
      if (current(gw, site, token) == 401) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(20);
    }
    return limitMs;
  }

  static void awaitSubscribed(TestGateway gw) throws InterruptedException {
    long end = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < end) {
      if ("UP".equals(gw.get("/health/ready", Map.of()).bodyAsJsonObject().getString("status"))) {
        Thread.sleep(500); // the subscriber connects after the command pool
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Redis did not come back within 15 s");
  }

  @Test
  void aFrozenRedisHoldsNoRequestAndAWithdrawalStillReachesEveryInstance() throws Exception {
    String token = token();
    assertEquals(200, current(b, site, token), "b has checked the token: it would trust its cache");
    redis.freeze();
    try {
      long slowest = 0;
      for (int i = 0; i < 10; i++) {
        long t = System.nanoTime();
        assertEquals(202, beacon(a, token));
        assertEquals(201, a.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()), Map.of())
            .statusCode());
        slowest = Math.max(slowest, (System.nanoTime() - t) / 1_000_000);
      }
      assertTrue(slowest < 1_500, "a frozen Redis held a request " + slowest + " ms");
      var ready = a.get("/health/ready", Map.of());
      assertEquals(200, ready.statusCode(), "Redis down is degraded, not unready");
      assertEquals("DEGRADED", ready.bodyAsJsonObject().getString("status"));

      assertEquals(200, a.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
          TestGateway.bearer(token)).statusCode());
      assertEquals(401, current(a, site, token), "refused at once where it was withdrawn");
      long ms = untilRefused(b, site, token, 3_000);
      assertTrue(ms < 1_500, "the other instance took " + ms + " ms to refuse a withdrawn token");
    } finally {
      redis.thaw();
    }
  }

  @Test
  void aKilledRedisThenBackFansOutAgain() throws Exception {
    String before = token();
    redis.kill();
    try {
      assertEquals(202, beacon(a, before));
      assertEquals(201, a.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of()), Map.of())
          .statusCode());
      assertEquals(200, a.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
          TestGateway.bearer(before)).statusCode());
      assertEquals(401, current(a, site, before), "a withdrawal made without Redis stops the old token here");
      assertTrue(untilRefused(b, site, before, 3_000) < 1_500, "and on the other instance, through PostgreSQL");
    } finally {
      redis.restart();
    }
    awaitSubscribed(a);
    awaitSubscribed(b);
    String after = token();
    assertEquals(200, current(b, site, after), "b caches the token as standing again");
    assertEquals(200, a.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(after)).statusCode());
    long ms = untilRefused(b, site, after, 3_000);
    assertTrue(ms < 1_000, "fan-out after Redis returned took " + ms + " ms");
  }

  @Test
  void theVisitorSaltIsOnePerDayForTheWholeDeploymentWithoutRedis() throws Exception {
    // a time zone no other test uses, so neither instance has today's salt for it in memory
    String zone = "Pacific/Chatham";
    var put = a.putJson("/v1/admin/sites/" + site, TestGateway.siteDocument("https://shop.example")
        .put("timeZone", zone), TestGateway.admin());
    assertEquals(200, put.statusCode(), put.bodyAsString());
    String token = token();
    redis.kill();
    try {
      Thread.sleep(eu.consentgateway.site.SiteRegistry.KEPT.toMillis() + 500); // b's site cache forgets the old document
      assertEquals(202, beacon(a, token));
      assertEquals(202, beacon(b, token));
      assertEquals(202, beacon(b, token));
    } finally {
      redis.restart();
    }
    assertEquals(1, TestStores.count("SELECT count(DISTINCT visitor_hash) FROM terminal.events WHERE site_id = ?",
        site), "one visitor, one hash, whichever instance counted it");
  }
}
