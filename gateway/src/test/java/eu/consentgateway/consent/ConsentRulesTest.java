package eu.consentgateway.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proof means what it says: methods agree with choices, versions are current, times are as stored. */
class ConsentRulesTest {
  // nanoseconds on purpose: the ledger keeps microseconds
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00.123456789Z");
  static MutableClock clock = new MutableClock(NOW);
  static TestGateway gw;
  String site;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(clock);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @BeforeEach
  void site() {
    clock.set(NOW);
    site = TestStores.uniqueSite("rules");
    gw.createSite(site);
  }

  long events() {
    return TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site);
  }

  HttpResponse<Buffer> post(String method, Map<String, Boolean> choices) {
    return gw.postJson("/v1/consents", TestGateway.consentBody(site, method, choices), Map.of());
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getString("error"), r.bodyAsString());
  }

  @Test
  void theMethodMustAgreeWithTheChoices() {
    assertError(post("accept_all", Map.of()), 400, "inconsistent_choices");
    assertError(post("accept_all", Map.of("statistics", true)), 400, "inconsistent_choices");
    assertError(post("reject_all", Map.of("statistics", true)), 400, "inconsistent_choices");
    assertError(post("dismiss", Map.of("prospecting", true)), 400, "inconsistent_choices");
    assertEquals(0, events(), "nothing recorded");
    var all = post("accept_all", Map.of("statistics", true, "prospecting", true));
    assertEquals(201, all.statusCode(), all.bodyAsString());
    assertEquals(Map.of("necessary", true, "statistics", true, "prospecting", true),
        all.bodyAsJsonObject().getJsonObject("choices").getMap());
  }

  @Test
  void aDismissalIsItsOwnMethodAndARefusal() {
    var r = post("dismiss", Map.of());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("dismiss", r.bodyAsJsonObject().getString("method"));
    assertEquals(Map.of("necessary", true, "statistics", false, "prospecting", false),
        r.bodyAsJsonObject().getJsonObject("choices").getMap());
    assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND method = 'dismiss'",
        site));
  }

  @Test
  void acceptAllUnderGlobalPrivacyControlIsRecordedAsGpc() {
    var r = gw.postJson("/v1/consents", TestGateway.consentBody(site, "accept_all",
        Map.of("statistics", true, "prospecting", true)), Map.of("Sec-GPC", "1"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("gpc", r.bodyAsJsonObject().getString("method"), "not an accept-all that refuses something");
    assertEquals(false, r.bodyAsJsonObject().getJsonObject("choices").getBoolean("prospecting"));
  }

  @Test
  void onlyTheCurrentVersionOrItsMinorSuccessorsAreAccepted() {
    var substantial = gw.postJson("/v1/admin/sites/" + site + "/policy",
        new JsonObject().put("version", "2027-01").put("substantial", true), TestGateway.admin());
    assertEquals(201, substantial.statusCode());
    var old = post("reject_all", Map.of());
    assertError(old, 400, "unknown_policy_version");
    assertTrue(old.bodyAsJsonObject().getString("message").contains("'2027-01'"), "names the current version");
    assertError(gw.postJson("/v1/sites/" + site + "/notices", new JsonObject().put("policyVersion", "2026-11"),
        Map.of()), 400, "unknown_policy_version");
    assertEquals(0, events());

    var minor = gw.postJson("/v1/admin/sites/" + site + "/policy",
        new JsonObject().put("version", "2027-02").put("substantial", false), TestGateway.admin());
    assertEquals(201, minor.statusCode());
    for (String version : new String[] {"2027-01", "2027-02"}) {
      var r = gw.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all", Map.of())
          .put("policyVersion", version), Map.of());
      assertEquals(201, r.statusCode(), version + ": " + r.bodyAsString());
    }
    assertError(post("reject_all", Map.of()), 400, "unknown_policy_version");
  }

  @Test
  void theFirstAnswerReportsTimesExactlyAsStored() {
    var created = post("accept_all", Map.of("statistics", true, "prospecting", true));
    assertEquals(201, created.statusCode());
    JsonObject c = created.bodyAsJsonObject();
    assertEquals("2026-11-26T12:00:00.123456Z", c.getString("givenAt"));
    JsonObject current = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(c.getString("token")))
        .bodyAsJsonObject();
    JsonObject receipt = gw.get("/v1/consents/" + c.getString("consentId") + "/receipt",
        TestGateway.bearer(c.getString("token"))).bodyAsJsonObject();
    for (String field : new String[] {"givenAt", "expiresAt"}) {
      assertEquals(c.getString(field), current.getString(field), field);
    }
    assertEquals(c.getString("givenAt"), receipt.getJsonObject("event").getString("time"));
    assertEquals(c.getString("expiresAt"), receipt.getJsonObject("validity").getString("expiresAt"));
    assertEquals(c.getString("givenAt"), receipt.getJsonObject("validity").getString("periodStart"));
  }
}
