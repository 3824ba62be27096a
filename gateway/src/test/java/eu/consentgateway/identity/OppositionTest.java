package eu.consentgateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MmdbWriter;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An account holder's opposition refuses prospecting for every linked subject: tokens, beacons, forwarding. */
class OppositionTest {
  static Path geoDb;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    geoDb = Files.createTempFile("cg-opposition", ".mmdb");
    new MmdbWriter().add("127.0.0.0/24", MmdbWriter.city("FR", true, "IDF", "Paris")).write(geoDb);
    gw = TestGateway.start(TestStores.config(Map.of("CG_GEOIP_DB", geoDb.toString())),
        new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    Files.deleteIfExists(geoDb);
  }

  @Test
  void oppositionRefusesProspectingForLinkedSubjectsWhateverTheBannerSaid() {
    String site = TestStores.uniqueSite("oppose");
    JsonObject doc = TestGateway.siteDocument("https://shop.example").put("destinations", new JsonArray()
        .add(new JsonObject().put("id", "ads").put("type", "webhook").put("url", "http://127.0.0.1:9/ads")
            .put("region", "FR").put("purposes", new JsonArray().add("statistics").add("prospecting"))));
    assertEquals(200, gw.putJson("/v1/admin/sites/" + site, doc, TestGateway.admin()).statusCode());
    String key = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "site").put("sites",
        new JsonArray().add(site)), TestGateway.admin()).bodyAsJsonObject().getString("token");
    JsonObject all = TestGateway.consentBody(site, "accept_all", Map.of("statistics", true, "prospecting", true));
    String token = gw.consent(all).getString("token");
    assertEquals(201, gw.putJson("/v1/sites/" + site + "/accounts/o1", new JsonObject().put("email", "o1@example.org")
        .put("opposition", true), TestGateway.bearer(key)).statusCode());
    assertEquals(200, gw.postJson("/v1/sites/" + site + "/accounts/o1/subjects", new JsonObject().put("token", token),
        TestGateway.bearer(key)).statusCode());

    JsonObject current = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).bodyAsJsonObject();
    assertEquals(false, current.getJsonObject("choices").getBoolean("prospecting"));
    assertEquals(new JsonArray().add("prospecting"), current.getJsonArray("opposition"));
    var renewed = gw.postJson("/v1/consents", all, TestGateway.bearer(token));
    assertEquals(201, renewed.statusCode(), renewed.bodyAsString());
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(renewed.bodyAsJsonObject()
        .getString("token").split("\\.")[2])));
    assertFalse(claims.getJsonArray("p").contains("prospecting"), "a new token does not grant it either");
    assertTrue(claims.getJsonArray("p").contains("statistics"));

    JsonObject beacon = new JsonObject().put("siteId", site).put("type", "pageview").put("url", "https://shop.example/")
        .put("token", renewed.bodyAsJsonObject().getString("token")).put("eventId", UUID.randomUUID().toString());
    assertEquals(202, gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain"), beacon.toBuffer())
        .statusCode());
    assertEquals(0, TestStores.count("SELECT count(*) FROM ops.outbox WHERE site_id = ? AND destination_id = 'ads'",
        site), "nothing queued for the prospecting destination");

    // without the opposition, the same consent forwards again
    assertEquals(200, gw.putJson("/v1/sites/" + site + "/accounts/o1", new JsonObject().put("email", "o1@example.org")
        .put("opposition", false), TestGateway.bearer(key)).statusCode());
    String other = gw.consent(all).getString("token");
    beacon.put("token", other).put("eventId", UUID.randomUUID().toString());
    assertEquals(202, gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain"), beacon.toBuffer())
        .statusCode());
    assertEquals(1, TestStores.count("SELECT count(*) FROM ops.outbox WHERE site_id = ? AND destination_id = 'ads'",
        site), "an unlinked subject's beacon is forwarded");
  }
}
