package eu.consentgateway.consent;

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

/** Two gateway processes sharing PostgreSQL and Redis: a withdrawal on one is honoured by the other at once. */
class TwoInstancesTest {
  static MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  static TestGateway a;
  static TestGateway b;

  @BeforeAll
  static void start() {
    a = TestGateway.start(clock);
    b = TestGateway.start(clock);
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
  }

  @Test
  void withdrawalOnOneInstanceRefusesTheTokenOnTheOtherWithinOneSecond() throws Exception {
    String site = TestStores.uniqueSite("two");
    a.createSite(site);
    JsonObject c = a.consent(TestGateway.consentBody(site, "accept_all", Map.of("statistics", true, "prospecting", true)));
    String token = c.getString("token");
    // B has seen the token as valid, so it is in B's cache
    assertEquals(200, b.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode());
    assertEquals(200, b.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode());

    var withdrawn = a.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site), TestGateway.bearer(token));
    assertEquals(200, withdrawn.statusCode());
    long done = System.nanoTime();
    int status;
    do {
      status = b.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode();
    } while (status == 200 && System.nanoTime() - done < 1_000_000_000L);
    long elapsedMs = (System.nanoTime() - done) / 1_000_000;
    assertEquals(401, status, "B still accepted the withdrawn token after " + elapsedMs + " ms");
    assertTrue(elapsedMs < 1000);
  }

  @Test
  void withoutRedisAnInstanceAsksPostgresAndStillRefusesAWithdrawnToken() {
    var noRedis = TestStores.config(Map.of("CG_REDIS_URL", "redis://127.0.0.1:" + TestStores.freePort()));
    try (TestGateway isolated = TestGateway.start(noRedis, clock)) {
      String site = TestStores.uniqueSite("two-noredis");
      a.createSite(site);
      JsonObject c = a.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true)));
      String token = c.getString("token");
      assertEquals(200, isolated.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode());
      assertEquals(200, a.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
          TestGateway.bearer(token)).statusCode());
      assertEquals(401, isolated.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode(),
          "with Redis down, PostgreSQL answers and the withdrawn token is refused at once");
      var ready = isolated.get("/health/ready", Map.of());
      assertEquals(200, ready.statusCode(), "Redis down: the instance still serves, so it stays in the pool");
      assertEquals("DEGRADED", ready.bodyAsJsonObject().getString("status"));
    }
  }

  @Test
  void siteChangeOnOneInstanceIsSeenByTheOther() {
    String site = TestStores.uniqueSite("two-site");
    a.createSite(site);
    assertEquals(200, b.get("/v1/sites/" + site + "/config", Map.of()).statusCode());
    var published = a.postJson("/v1/admin/sites/" + site + "/policy",
        new JsonObject().put("version", "2027-01").put("substantial", false), TestGateway.admin());
    assertEquals(201, published.statusCode());
    long start = System.nanoTime();
    String version;
    do {
      version = b.get("/v1/sites/" + site + "/config", Map.of()).bodyAsJsonObject().getJsonObject("policy")
          .getString("version");
    } while (!"2027-01".equals(version) && System.nanoTime() - start < 1_000_000_000L);
    assertEquals("2027-01", version);
  }
}
