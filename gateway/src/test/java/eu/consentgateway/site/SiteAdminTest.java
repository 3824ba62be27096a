package eu.consentgateway.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Operator endpoints: sites, policy versions, keys, and who may call them. */
class SiteAdminTest {
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  long sites(String id) {
    return TestStores.count("SELECT count(*) FROM ops.sites WHERE site_id = ?", id);
  }

  @Test
  void putSiteStoresItWithNecessaryAlwaysPresentAndServesThePublicConfig() {
    String id = TestStores.uniqueSite("admin");
    JsonObject stored = gw.createSite(id);
    JsonArray purposes = stored.getJsonArray("purposes");
    assertEquals("necessary", purposes.getJsonObject(0).getString("id"));
    assertTrue(purposes.getJsonObject(0).getBoolean("required"));
    assertEquals(true, purposes.getJsonObject(2).getBoolean("gpc"), "prospecting is refused under GPC by default");

    var config = gw.get("/v1/sites/" + id + "/config", Map.of("Origin", "https://shop.example"));
    assertEquals(200, config.statusCode());
    JsonObject c = config.bodyAsJsonObject();
    assertEquals("2026-11", c.getJsonObject("policy").getString("version"));
    assertEquals(2, c.getJsonObject("textHash").size());
    assertEquals(new JsonArray().add("analytics_storage"), c.getJsonObject("consentMode").getJsonArray("statistics"));
    assertTrue(c.getString("preferencesUrl").endsWith("/preferences?site=" + id));
    assertEquals("https://shop.example", config.getHeader("Access-Control-Allow-Origin"));
    var foreign = gw.get("/v1/sites/" + id + "/config", Map.of("Origin", "https://evil.example"));
    assertEquals(null, foreign.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void invalidSiteDocumentsAreRefusedAndStoreNothing() {
    String id = TestStores.uniqueSite("admin-bad");
    JsonObject good = TestGateway.siteDocument("https://shop.example");
    Map<String, JsonObject> cases = Map.of(
        "invalid_origins", good.copy().put("origins", new JsonArray().add("shop.example")),
        "invalid_origins ", good.copy().put("origins", new JsonArray().add("https://shop.example/path")),
        "invalid_purpose", good.copy().put("purposes", new JsonArray().add(new JsonObject().put("id", "Bad Id"))),
        "invalid_locale", good.copy().put("locales", new JsonArray().add("french")),
        "missing_field", good.copy().put("policy", new JsonObject()),
        "destination_outside_eu", good.copy().put("destinations", new JsonArray().add(new JsonObject()
            .put("id", "us").put("type", "webhook").put("url", "https://hooks.example.com/x").put("region", "US")
            .put("purposes", new JsonArray().add("statistics")))));
    cases.forEach((error, doc) -> {
      var r = gw.putJson("/v1/admin/sites/" + id, doc, TestGateway.admin());
      assertEquals(400, r.statusCode(), r.bodyAsString());
      assertEquals(error.trim(), r.bodyAsJsonObject().getString("error"));
      assertTrue(r.bodyAsJsonObject().getString("message").length() > 5);
    });
    var badId = gw.putJson("/v1/admin/sites/Bad%20Site", good, TestGateway.admin());
    assertEquals(400, badId.statusCode());
    assertEquals(0, sites(id));
  }

  @Test
  void outsideEuDestinationIsRefusedWithItsName() {
    String id = TestStores.uniqueSite("admin-eu");
    JsonObject doc = TestGateway.siteDocument("https://shop.example").put("destinations", new JsonArray().add(
        new JsonObject().put("id", "us-hook").put("type", "webhook").put("url", "https://hooks.example.com/x")
            .put("region", "US").put("purposes", new JsonArray().add("statistics"))));
    var r = gw.putJson("/v1/admin/sites/" + id, doc, TestGateway.admin());
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("message").contains("us-hook"));
  }

  @Test
  void keysAreScopedByRoleAndSiteAndStoredOnlyAsHashes() {
    String id = TestStores.uniqueSite("admin-keys");
    gw.createSite(id);
    assertEquals(401, gw.putJson("/v1/admin/sites/" + id, TestGateway.siteDocument("https://a.example"), Map.of())
        .statusCode());
    assertEquals(401, gw.putJson("/v1/admin/sites/" + id, TestGateway.siteDocument("https://a.example"),
        TestGateway.bearer("wrong-key")).statusCode());

    var marketing = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "marketing")
        .put("sites", new JsonArray().add(id)), TestGateway.admin());
    assertEquals(201, marketing.statusCode(), marketing.bodyAsString());
    String token = marketing.bodyAsJsonObject().getString("token");
    assertTrue(token.startsWith("cgm_"));
    var forbidden = gw.putJson("/v1/admin/sites/" + id, TestGateway.siteDocument("https://a.example"),
        TestGateway.bearer(token));
    assertEquals(403, forbidden.statusCode());
    assertEquals("forbidden", forbidden.bodyAsJsonObject().getString("error"));
    assertEquals(0, TestStores.count("SELECT count(*) FROM ops.api_keys WHERE encode(key_hash, 'escape') LIKE ?",
        "%" + token + "%"));

    var scopedAdmin = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "admin")
        .put("sites", new JsonArray().add(id)), TestGateway.admin());
    String admin = scopedAdmin.bodyAsJsonObject().getString("token");
    assertEquals(200, gw.getAdmin("/v1/admin/sites/" + id, admin).statusCode());
    String other = TestStores.uniqueSite("admin-other");
    assertEquals(403, gw.putJson("/v1/admin/sites/" + other, TestGateway.siteDocument("https://a.example"),
        TestGateway.bearer(admin)).statusCode());
    assertEquals(0, sites(other));

    var unknownSite = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "site")
        .put("sites", new JsonArray().add("never-created")), TestGateway.admin());
    assertEquals(400, unknownSite.statusCode());
    var badRole = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "root"), TestGateway.admin());
    assertEquals(400, badRole.statusCode());
  }

  @Test
  void publishingAnExistingVersionConflicts() {
    String id = TestStores.uniqueSite("admin-pol");
    gw.createSite(id);
    var r = gw.postJson("/v1/admin/sites/" + id + "/policy", new JsonObject().put("version", "2026-11"),
        TestGateway.admin());
    assertEquals(409, r.statusCode());
    assertEquals("conflict", r.bodyAsJsonObject().getString("error"));
  }
}
