package eu.consentgateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Account holders through the site backend's API: create, rectify, link, export, erase, terminate, refuse bad input. */
class AccountsTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  static TestGateway gw;
  String site;
  String key;

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
    site = TestStores.uniqueSite("acct");
    gw.createSite(site);
    key = siteKey(site);
  }

  static String siteKey(String siteId) {
    return gw.postJson("/v1/admin/keys", new JsonObject().put("role", "site").put("sites", new JsonArray().add(siteId)),
        TestGateway.admin()).bodyAsJsonObject().getString("token");
  }

  static JsonObject holder(String name, String email) {
    return new JsonObject().put("name", name).put("email", email).put("phone", "+33612345678")
        .put("address", new JsonObject().put("street", "12 rue des Lilas").put("postalCode", "75011")
            .put("city", "Paris").put("country", "FR"))
        .put("coordinates", new JsonObject().put("latitude", 48.86).put("longitude", 2.38)).put("language", "fr");
  }

  io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> put(String account, JsonObject body) {
    return gw.putJson("/v1/sites/" + site + "/accounts/" + account, body, TestGateway.bearer(key));
  }

  long rows(String table) {
    return TestStores.count("SELECT count(*) FROM " + table + " WHERE site_id = ?", site);
  }

  @Test
  void createRectifyAndAuditWithoutTheValues() {
    var created = put("u-1", holder("Jeanne Martin", "jeanne.martin@example.org"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("jeanne.martin@example.org", created.bodyAsJsonObject().getString("email"));
    var rectified = put("u-1", holder("Jeanne Martin-Durand", "jeanne.durand@example.org"));
    assertEquals(200, rectified.statusCode());
    assertEquals("Jeanne Martin-Durand", rectified.bodyAsJsonObject().getString("name"));
    assertEquals(2, TestStores.count("SELECT count(*) FROM ops.audit WHERE target = ? AND action IN "
        + "('account.create', 'account.rectify')", Identity.target(site, "u-1")));
    assertEquals(0, TestStores.count("SELECT count(*) FROM ops.audit WHERE detail::text ~ '(Jeanne|example.org|"
        + "33612345678|Lilas)' OR target ~ 'u-1'"), "the audit says who and when, never the values");
    assertEquals(1, TestStores.count("SELECT count(*) FROM ops.audit WHERE target = ? AND action = 'account.rectify'"
        + " AND detail -> 'fields' = '[\"name\", \"email\"]'::jsonb", Identity.target(site, "u-1")));
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    Map<String, JsonObject> cases = Map.of(
        "invalid_email", holder("A", "not-an-email"),
        "invalid_phone", holder("A", "a@example.org").put("phone", "0612345678"),
        "invalid_coordinates", holder("A", "a@example.org").put("coordinates", new JsonObject().put("latitude", 91)
            .put("longitude", 0)),
        "invalid_language", holder("A", "a@example.org").put("language", "de"),
        "unknown_field", holder("A", "a@example.org").put("password", "x"),
        "invalid_address", holder("A", "a@example.org").put("address", new JsonObject().put("country", "France")));
    cases.forEach((code, body) -> {
      var r = put("u-bad", body);
      assertEquals(400, r.statusCode(), code);
      assertEquals(code, r.bodyAsJsonObject().getString("error"));
    });
    assertEquals(400, put("bad%20id%20with%20spaces", holder("A", "a@example.org")).statusCode());
    assertEquals(0, rows("identity.accounts"));
    String other = TestStores.uniqueSite("acct-other");
    gw.createSite(other);
    assertEquals(403, gw.putJson("/v1/sites/" + site + "/accounts/u-2", holder("A", "a@example.org"),
        TestGateway.bearer(siteKey(other))).statusCode(), "a site key of another site");
    String marketing = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "marketing")
        .put("sites", new JsonArray().add(site)), TestGateway.admin()).bodyAsJsonObject().getString("token");
    assertEquals(403, gw.putJson("/v1/sites/" + site + "/accounts/u-2", holder("A", "a@example.org"),
        TestGateway.bearer(marketing)).statusCode(), "a marketing key");
    assertEquals(404, gw.postJson("/v1/sites/" + site + "/accounts/nobody/logins", new JsonObject(),
        TestGateway.bearer(key)).statusCode());
    assertEquals(404, gw.get("/v1/sites/" + site + "/accounts/nobody/export", TestGateway.bearer(key)).statusCode());
    assertEquals(0, rows("identity.accounts"));
  }

  @Test
  void theExportHoldsEverythingAndCsvEqualsJson() {
    assertEquals(201, put("u-3", holder("Paul Durand", "paul@example.org")).statusCode());
    assertEquals(200, gw.postJson("/v1/sites/" + site + "/accounts/u-3/logins", new JsonObject(),
        TestGateway.bearer(key)).statusCode());
    String token = gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true))).getString("token");
    var linked = gw.postJson("/v1/sites/" + site + "/accounts/u-3/subjects", new JsonObject().put("token", token),
        TestGateway.bearer(key));
    assertEquals(200, linked.statusCode(), linked.bodyAsString());
    var req = gw.postJson("/v1/sites/" + site + "/requests", new JsonObject().put("accountId", "u-3")
        .put("kind", "portability"), TestGateway.bearer(key));
    assertEquals(201, req.statusCode());

    JsonObject json = gw.get("/v1/sites/" + site + "/accounts/u-3/export", TestGateway.bearer(key)).bodyAsJsonObject();
    assertEquals("consent-gateway-account-export/1", json.getString("format"));
    assertEquals("paul@example.org", json.getJsonObject("account").getString("email"));
    assertEquals(1, json.getJsonArray("logins").size());
    JsonObject subject = json.getJsonArray("subjects").getJsonObject(0);
    assertEquals(1, subject.getJsonArray("consents").size(), "the linked subject's consent history");
    assertEquals("portability", json.getJsonArray("requests").getJsonObject(0).getString("kind"));
    assertEquals("done", gw.get("/v1/sites/" + site + "/requests/" + req.bodyAsJsonObject().getString("requestId"),
        TestGateway.bearer(key)).bodyAsJsonObject().getString("status"), "the export fulfilled the request");

    String csv = gw.get("/v1/sites/" + site + "/accounts/u-3/export?format=csv", TestGateway.bearer(key))
        .bodyAsString();
    // the first export closed the request: compare the CSV with an export made after it
    json = gw.get("/v1/sites/" + site + "/accounts/u-3/export", TestGateway.bearer(key)).bodyAsJsonObject();
    Set<String> lines = new HashSet<>(csv.lines().toList());
    assertTrue(lines.contains("account.email,paul@example.org"), csv);
    assertTrue(lines.contains("subjects[0].consents[0].method,custom"), csv);
    assertTrue(lines.contains("requests[0].kind,portability"), csv);
    assertEquals(leaves(json), lines.size() - 1, "one CSV row per JSON value (exportedAt aside, same content)");
  }

  static int leaves(Object v) {
    if (v instanceof JsonObject o) {
      int n = 0;
      for (var e : o) {
        n += leaves(e.getValue());
      }
      return n;
    }
    if (v instanceof JsonArray a) {
      int n = 0;
      for (Object x : a) {
        n += leaves(x);
      }
      return n;
    }
    return v == null ? 0 : 1;
  }

  @Test
  void erasureLeavesNothingNominativeAndKeepsThePseudonymousProof() throws Exception {
    String street = "7 impasse " + UUID.randomUUID();
    JsonObject zoe = holder("Zoé Lambert", "zoe.lambert@example.org");
    zoe.getJsonObject("address").put("street", street);
    assertEquals(201, put("u-4", zoe).statusCode());
    gw.postJson("/v1/sites/" + site + "/accounts/u-4/logins", new JsonObject(), TestGateway.bearer(key));
    String token = gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true))).getString("token");
    gw.postJson("/v1/sites/" + site + "/accounts/u-4/subjects", new JsonObject().put("token", token),
        TestGateway.bearer(key));
    var erased = gw.send(HttpMethod.DELETE, "/v1/sites/" + site + "/accounts/u-4", TestGateway.bearer(key), null);
    assertEquals(200, erased.statusCode(), erased.bodyAsString());
    for (String table : new String[] {"identity.accounts", "identity.logins", "identity.account_subjects",
        "identity.mail"}) {
      assertEquals(0, rows(table), table);
    }
    assertEquals(404, gw.get("/v1/sites/" + site + "/accounts/u-4/export", TestGateway.bearer(key)).statusCode(),
        "a fresh export finds nothing");
    assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site),
        "the consent ledger keeps its pseudonymous proof");
    String dump = TestStores.dumpDatabase();
    for (String value : new String[] {"Zoé Lambert", "zoe.lambert@example.org", street}) {
      assertFalse(dump.contains(value), "still stored: " + value);
    }
  }

  @Test
  void terminationForABreachOfTheTermsErasesWithItsReason() {
    assertEquals(201, put("u-5", holder("Max", "max@example.org")).statusCode());
    assertEquals(400, gw.postJson("/v1/sites/" + site + "/accounts/u-5/termination", new JsonObject()
        .put("reason", "dislike"), TestGateway.bearer(key)).statusCode());
    var r = gw.postJson("/v1/sites/" + site + "/accounts/u-5/termination", new JsonObject().put("reason",
        "terms_breach"), TestGateway.bearer(key));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, rows("identity.accounts"));
    assertEquals(1, TestStores.count("SELECT count(*) FROM ops.audit WHERE action = 'account.erase' AND target = ? "
        + "AND detail ->> 'reason' = 'termination:terms_breach'", Identity.target(site, "u-5")));
  }

  @Test
  void onlyTheIdentityRoleReadsIdentity() {
    for (String role : new String[] {"cg_terminal", "cg_stats", "cg_rollup", "cg_gateway"}) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> TestStores.execute("SET ROLE " + role + "; SELECT 1 FROM identity.accounts LIMIT 1"));
      assertTrue(e.getMessage().contains("permission denied"), role + ": " + e.getMessage());
    }
  }
}
