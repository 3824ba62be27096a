package eu.consentgateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.config.ConfigLoader;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Deployments sharing one Redis never share a key or a channel. */
class RedisPrefixTest {
  @Test
  void theDefaultPrefixFollowsTheDatabaseName() {
    assertEquals("cg:consent_gateway:", ConfigLoader.load(Map.of()).redisPrefix());
    assertEquals("cg:shop_eu:", ConfigLoader.load(Map.of("CG_PG_URL", "postgresql://u@db:5432/shop_eu")).redisPrefix());
    assertEquals("tenant-a:", ConfigLoader.load(Map.of("CG_REDIS_PREFIX", "tenant-a:")).redisPrefix());
  }

  @Test
  void everyKeyTheGatewayWritesCarriesItsPrefix() {
    String prefix = "cg:it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    Instant now = Instant.now();
    try (TestGateway gw = TestGateway.start(TestStores.config(Map.of("CG_REDIS_PREFIX", prefix)),
        new MutableClock(now))) {
      String site = TestStores.uniqueSite("prefix");
      gw.createSite(site);
      String token = gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true))).getString("token");
      JsonObject beacon = new JsonObject().put("siteId", site).put("type", "pageview").put("token", token)
          .put("url", "https://shop.example/");
      assertEquals(202, gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain"),
          beacon.toBuffer()).statusCode());
      String salt = "salt:Europe/Paris:" + LocalDate.ofInstant(now, ZoneId.of("Europe/Paris"));
      assertEquals(prefix + salt, gw.gateway().redisKey(salt));
      assertTrue(TestStores.redisTtl(prefix + salt) > 0, "the salt is cached under the deployment's prefix");
    }
  }
}
