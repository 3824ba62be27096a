package eu.consentgateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rights requests and their deadlines in calendar months, the one extension, and the overdue count. */
class RequestsTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2028-01-31T10:00:00Z"));
  static TestGateway gw;
  static String site;
  static String key;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(clock);
    site = TestStores.uniqueSite("requests");
    gw.createSite(site);
    key = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "site").put("sites", new JsonArray().add(site)),
        TestGateway.admin()).bodyAsJsonObject().getString("token");
    for (String id : new String[] {"r1", "r2", "r3"}) {
      gw.putJson("/v1/sites/" + site + "/accounts/" + id, new JsonObject().put("email", id + "@example.org"),
          TestGateway.bearer(key));
    }
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static JsonObject request(String account, String kind) {
    var r = gw.postJson("/v1/sites/" + site + "/requests", new JsonObject().put("accountId", account)
        .put("kind", kind), TestGateway.bearer(key));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void dueInOneCalendarMonthAndExtendedOnceWithAReason() {
    JsonObject r = request("r1", "access");
    assertEquals("2028-02-29T10:00:00Z", r.getString("dueAt"), "31 January + 1 month = 29 February (leap year)");
    String path = "/v1/sites/" + site + "/requests/" + r.getString("requestId");
    assertEquals(400, gw.postJson(path + "/extension", new JsonObject().put("months", 2), TestGateway.bearer(key))
        .statusCode(), "an extension needs a reason");
    assertEquals(400, gw.postJson(path + "/extension", new JsonObject().put("months", 3).put("reason", "complex"),
        TestGateway.bearer(key)).statusCode(), "at most two months");
    var extended = gw.postJson(path + "/extension", new JsonObject().put("months", 2).put("reason",
        "many systems to search"), TestGateway.bearer(key));
    assertEquals(200, extended.statusCode(), extended.bodyAsString());
    assertEquals("2028-04-29T10:00:00Z", extended.bodyAsJsonObject().getString("dueAt"));
    assertEquals(409, gw.postJson(path + "/extension", new JsonObject().put("months", 1).put("reason", "again"),
        TestGateway.bearer(key)).statusCode(), "only once");
    assertEquals(200, gw.postJson(path + "/status", new JsonObject().put("status", "in_progress"),
        TestGateway.bearer(key)).statusCode());
    assertEquals(400, gw.postJson(path + "/status", new JsonObject().put("status", "refused"),
        TestGateway.bearer(key)).statusCode(), "a refusal needs a reason");
    var refused = gw.postJson(path + "/status", new JsonObject().put("status", "refused").put("reason",
        "identity not proven"), TestGateway.bearer(key));
    assertEquals("refused", refused.bodyAsJsonObject().getString("status"));
    assertEquals(409, gw.postJson(path + "/status", new JsonObject().put("status", "done"), TestGateway.bearer(key))
        .statusCode(), "closed");
  }

  @Test
  void overdueRequestsAreListedAndCounted() {
    JsonObject r = request("r2", "rectification");
    clock.advance(Duration.ofDays(40));
    try {
      var list = gw.get("/v1/admin/requests?overdue=true", TestGateway.admin()).bodyAsJsonObject()
          .getJsonArray("requests");
      assertTrue(list.stream().anyMatch(o -> ((JsonObject) o).getString("requestId").equals(r.getString("requestId"))));
      TestGateway.await(gw.gateway().jobs().runNow("lifecycle-gauges",
          gw.gateway().lifecycle().jobs().get("lifecycle-gauges"), false));
      assertTrue(gw.metric("cg_requests_overdue") >= 1);
    } finally {
      clock.advance(Duration.ofDays(-40));
    }
  }

  @Test
  void anErasureThroughTheApiClosesTheErasureRequest() {
    JsonObject r = request("r3", "erasure");
    assertEquals(200, gw.send(HttpMethod.DELETE, "/v1/sites/" + site + "/accounts/r3", TestGateway.bearer(key), null)
        .statusCode());
    JsonObject after = gw.get("/v1/sites/" + site + "/requests/" + r.getString("requestId"), TestGateway.bearer(key))
        .bodyAsJsonObject();
    assertEquals("done", after.getString("status"));
    assertEquals(null, after.getString("accountId"), "the request stays, without the account id");
    assertEquals(400, gw.postJson("/v1/sites/" + site + "/requests", new JsonObject().put("accountId", "r1")
        .put("kind", "deletion"), TestGateway.bearer(key)).statusCode());
    assertEquals(404, gw.postJson("/v1/sites/" + site + "/requests", new JsonObject().put("accountId", "nobody")
        .put("kind", "access"), TestGateway.bearer(key)).statusCode());
  }
}
