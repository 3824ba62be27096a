package eu.consentgateway.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.OwnSentinels;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways on a {@code redis-sentinel://} URL (a master, a replica and three Sentinels of the test's own):
 * commands and the revocation fan-out go to the master Sentinel names, and after the master is killed they follow
 * the promoted replica, so a withdrawal reaches the other instance within a second again.
 */
class RedisSentinelFaultTest {
  static OwnSentinels sentinels;
  static TestGateway a;
  static TestGateway b;
  static String prefix;

  @BeforeAll
  static void start() {
    sentinels = OwnSentinels.start();
    prefix = "cg:sentinel-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    Map<String, String> env = Map.of("CG_REDIS_URL", sentinels.url(), "CG_REDIS_PREFIX", prefix);
    a = TestGateway.start(TestStores.config(env), Clock.systemUTC());
    b = TestGateway.start(TestStores.config(env), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    sentinels.close();
  }

  @Test
  void commandsAndFanOutFollowTheMasterAcrossAFailover() throws Exception {
    String site = TestStores.uniqueSite("sentinel");
    a.createSite(site);
    int first = sentinels.masterPort();
    RedisFaultTest.awaitSubscribed(a);
    RedisFaultTest.awaitSubscribed(b);
    assertEquals(202, beacon(a, site, token(site)));
    assertFalse(sentinels.keys(first, prefix).isEmpty(), "the gateway writes to the master Sentinel names");
    assertWithdrawalReachesB(site, "before the failover");

    int killed = sentinels.killMaster();
    long start = System.nanoTime();
    int promoted = -1;
    while (System.nanoTime() - start < 20_000_000_000L) {
      promoted = sentinels.masterPort();
      if (promoted > 0 && promoted != killed) {
        break;
      }
      Thread.sleep(100);
    }
    assertNotEquals(killed, promoted, "Sentinel promoted the replica within 20 s");
    // both instances serve all along; then they are back on the new master
    assertEquals(202, beacon(b, site, token(site)));
    RedisFaultTest.awaitSubscribed(a);
    RedisFaultTest.awaitSubscribed(b);
    assertEquals(202, beacon(a, site, token(site)));
    // the proof that commands and the subscription follow the master: a withdrawal on a is published through
    // the promoted master and refused by b, which trusted the token from its cache (not a key count: what a
    // beacon writes to Redis is cached in memory, and the promoted replica may or may not have it)
    assertWithdrawalReachesB(site, "after the failover");
  }

  static void assertWithdrawalReachesB(String site, String when) throws Exception {
    String token = token(site);
    assertEquals(200, RedisFaultTest.current(b, site, token), "b has checked the token: it would trust its cache");
    assertEquals(200, a.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(token)).statusCode());
    long ms = RedisFaultTest.untilRefused(b, site, token, 3_000);
    assertTrue(ms < 1_000, when + ": the other instance took " + ms + " ms to refuse a withdrawn token");
  }

  static String token(String site) {
    return a.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true))).getString("token");
  }

  static int beacon(TestGateway gw, String site, String token) {
    JsonObject body = new JsonObject().put("siteId", site).put("type", "pageview").put("token", token)
        .put("url", "https://shop.example/").put("eventId", UUID.randomUUID().toString());
    return gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain"), body.toBuffer())
        .statusCode();
  }
}
