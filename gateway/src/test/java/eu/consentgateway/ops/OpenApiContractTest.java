package eu.consentgateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.OpenApiContract;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The check every test client exchange goes through (openapi.yaml against what the gateway really answers): the
 * widget's own requests pass it, and an answer or a request the document does not describe is caught.
 */
class OpenApiContractTest {
  static TestGateway gw;
  static final OpenApiContract CONTRACT = OpenApiContract.document();

  @BeforeAll
  static void start() {
    gw = TestGateway.start(new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void theWidgetsTextPlainBeaconAndThePreferencesFormMatchTheDocument() {
    String site = TestStores.uniqueSite("oas");
    gw.createSite(site);
    JsonObject consent = gw.consent(TestGateway.consentBody(site, "accept_all",
        Map.of("statistics", true, "prospecting", true)));
    JsonObject beacon = new JsonObject().put("siteId", site).put("token", consent.getString("token"))
        .put("type", "pageview").put("url", "https://shop.example/cart");
    // sendBeacon's text/plain body: the document must take it as it is
    assertEquals(202, gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain;charset=UTF-8"),
        beacon.toBuffer()).statusCode());
    String form = "site=" + site + "&token=" + consent.getString("token") + "&return=https%3A%2F%2Fshop.example%2F";
    var page = gw.send(HttpMethod.POST, "/preferences", Map.of("Content-Type", "application/x-www-form-urlencoded"),
        Buffer.buffer(form));
    assertEquals(200, page.statusCode(), page.bodyAsString());
    var notFound = gw.get("/v1/sites/" + site + "-missing/notices-nothing", Map.of());
    assertEquals(404, notFound.statusCode());
  }

  @Test
  void anUndocumentedStatusIsCaught() {
    String site = TestStores.uniqueSite("oas-status");
    gw.createSite(site);
    var config = gw.get("/v1/sites/" + site + "/config", Map.of());
    assertEquals(200, config.statusCode());
    var teapot = exchange(HttpMethod.GET, "/v1/sites/" + site + "/config", Map.of(), null, 418,
        config.headers(), config.body());
    assertFalse(CONTRACT.problems(teapot).isEmpty(), "418 is not a status of getPublicConfig");
    assertThrows(AssertionError.class, () -> CONTRACT.check(teapot));
  }

  @Test
  void aBodyOffItsSchemaIsCaught() {
    String site = TestStores.uniqueSite("oas-body");
    gw.createSite(site);
    var config = gw.get("/v1/sites/" + site + "/config", Map.of());
    JsonObject withoutPolicy = config.bodyAsJsonObject().copy();
    withoutPolicy.remove("policy");
    var exchange = exchange(HttpMethod.GET, "/v1/sites/" + site + "/config", Map.of(), null, 200,
        config.headers(), withoutPolicy.toBuffer());
    List<String> problems = CONTRACT.problems(exchange);
    assertFalse(problems.isEmpty());
    assertTrue(problems.toString().contains("policy"), problems.toString());
  }

  @Test
  void servingARequestTheDocumentCallsInvalidIsCaught() {
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    Buffer created = new JsonObject().put("token", "cgm_x").put("role", "marketing")
        .put("sites", new io.vertx.core.json.JsonArray().add("shop")).toBuffer();
    var served = exchange(HttpMethod.POST, "/v1/admin/keys", Map.of("Content-Type", "application/json",
        "Authorization", "Bearer " + TestStores.ADMIN_TOKEN), new JsonObject().put("role", "root").toBuffer(), 201,
        json, created);
    assertTrue(CONTRACT.problems(served).toString().contains("served a request the document calls invalid"),
        CONTRACT.problems(served).toString());
    var refused = exchange(HttpMethod.POST, "/v1/admin/keys", Map.of("Content-Type", "application/json",
        "Authorization", "Bearer " + TestStores.ADMIN_TOKEN), new JsonObject().put("role", "root").toBuffer(), 400,
        json, new JsonObject().put("error", "invalid_role").put("message", "no").toBuffer());
    assertEquals(List.of(), CONTRACT.problems(refused), "a refused invalid request is what the document says");
  }

  private static OpenApiContract.Exchange exchange(HttpMethod method, String uri, Map<String, String> headers,
      Buffer body, int status, MultiMap responseHeaders, Buffer responseBody) {
    return new OpenApiContract.Exchange(method, uri, headers, body, status, responseHeaders, responseBody);
  }
}
