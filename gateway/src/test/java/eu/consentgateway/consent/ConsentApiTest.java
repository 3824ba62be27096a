package eu.consentgateway.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every browser consent endpoint of the contract, and every kind of bad input leaving the ledger untouched. */
class ConsentApiTest {
  static MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
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
    site = TestStores.uniqueSite("api");
    gw.createSite(site);
  }

  long events() {
    return TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site);
  }

  long notices() {
    return TestStores.count("SELECT count(*) FROM consent.notices WHERE site_id = ?", site);
  }

  JsonObject valid() {
    return TestGateway.consentBody(site, "custom", Map.of("statistics", true, "prospecting", false));
  }

  @Test
  void noticeIsRecordedWithoutAnythingAboutTheVisitor() {
    var r = gw.postJson("/v1/sites/" + site + "/notices", new JsonObject().put("policyVersion", "2026-11")
        .put("locale", "en"), Map.of("Origin", "https://shop.example", "User-Agent", "Mozilla/5.0 Firefox/120.0"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertNotNull(UUID.fromString(r.bodyAsJsonObject().getString("noticeId")));
    assertEquals("https://shop.example", r.getHeader("Access-Control-Allow-Origin"));
    assertEquals(1, notices());
    assertTrue(r.cookies().isEmpty(), "no cookie is ever set by the gateway");
    // the table has no room for anything about the visitor: only what was shown, and when
    assertEquals(0, TestStores.count("""
        SELECT count(*) FROM information_schema.columns WHERE table_schema = 'consent' AND table_name = 'notices'
          AND column_name NOT IN ('notice_id', 'site_id', 'policy_version', 'text_hash', 'locale', 'shown_at')"""));
  }

  @Test
  void consentIsRecordedWithItsProofAndASignedToken() {
    String notice = gw.postJson("/v1/sites/" + site + "/notices", new JsonObject(), Map.of()).bodyAsJsonObject()
        .getString("noticeId");
    var r = gw.postJson("/v1/consents", valid().put("noticeId", notice),
        Map.of("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject c = r.bodyAsJsonObject();
    assertEquals(Map.of("necessary", true, "statistics", true, "prospecting", false), c.getJsonObject("choices").getMap());
    assertEquals("2026-11-26T12:00:00Z", c.getString("givenAt"));
    assertEquals("2027-12-26T12:00:00Z", c.getString("expiresAt"));
    assertEquals("2026-11", c.getString("policyVersion"));
    String[] parts = c.getString("token").split("\\.");
    assertEquals(4, parts.length);
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[2])));
    assertEquals(site, payload.getString("site"));
    assertEquals(c.getString("subjectId"), payload.getString("sub"));
    assertEquals(c.getString("consentId"), payload.getString("cid"));
    assertEquals(java.util.List.of("necessary", "statistics"), payload.getJsonArray("p").getList());

    // the row keeps what proves it, with a truncated address and only the browser family
    assertEquals(1, TestStores.count("""
        SELECT count(*) FROM consent.events WHERE consent_id = ?::uuid AND notice_id = ?::uuid
          AND text_hash <> '' AND locale = 'fr' AND method = 'custom' AND ip_prefix = '127.0.0.0/24'
          AND ua_family = 'Chrome' AND kind = 'given'""", c.getString("consentId"), notice));
  }

  @Test
  void currentWithdrawAndReceiptFollowTheContract() {
    JsonObject c = gw.consent(valid());
    var current = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(c.getString("token")));
    assertEquals(200, current.statusCode(), current.bodyAsString());
    assertEquals(c.getString("consentId"), current.bodyAsJsonObject().getString("consentId"));
    assertFalse(current.bodyAsJsonObject().getBoolean("renewRequired"));

    var receipt = gw.get("/v1/consents/" + c.getString("consentId") + "/receipt", TestGateway.bearer(c.getString("token")));
    assertEquals(200, receipt.statusCode(), receipt.bodyAsString());
    JsonObject rc = receipt.bodyAsJsonObject();
    assertEquals("2026-11", rc.getJsonObject("notice").getString("policyVersion"));
    assertEquals("custom", rc.getJsonObject("event").getString("method"));
    assertEquals(c.getString("expiresAt"), rc.getJsonObject("validity").getString("expiresAt"));
    assertEquals("Test shop", rc.getJsonObject("controller").getString("name"));
    assertTrue(rc.getJsonObject("withdrawal").getString("page").endsWith("/preferences?site=" + site));
    assertEquals(3, rc.getJsonArray("purposes").size());

    var withdrawn = gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(c.getString("token")));
    assertEquals(200, withdrawn.statusCode(), withdrawn.bodyAsString());
    assertEquals(false, withdrawn.bodyAsJsonObject().getJsonObject("choices").getBoolean("statistics"));
    var refused = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(c.getString("token")));
    assertEquals(401, refused.statusCode());
    assertEquals("token_revoked", refused.bodyAsJsonObject().getString("error"));
    var fresh = gw.get("/v1/consents/current?site=" + site,
        TestGateway.bearer(withdrawn.bodyAsJsonObject().getString("token")));
    assertEquals(200, fresh.statusCode());
    assertEquals("withdrawn", fresh.bodyAsJsonObject().getString("event"));
    assertEquals(2, events(), "withdrawal is a new row; the first one is untouched");
  }

  @Test
  void ledgerIsAppendOnlyInTheDatabaseItself() {
    JsonObject c = gw.consent(valid());
    var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () ->
        TestStores.execute("UPDATE consent.events SET method = 'accept_all' WHERE consent_id = '"
            + c.getString("consentId") + "'"));
    assertTrue(error.getMessage().contains("append-only"), error.getMessage());
  }

  @Test
  void repeatedIdempotencyKeyRecordsOnce() {
    Map<String, String> key = Map.of("Idempotency-Key", "retry-" + UUID.randomUUID());
    var first = gw.postJson("/v1/consents", valid(), key);
    var second = gw.postJson("/v1/consents", valid(), key);
    assertEquals(201, first.statusCode());
    assertEquals(200, second.statusCode(), second.bodyAsString());
    assertEquals(first.bodyAsJsonObject().getString("consentId"), second.bodyAsJsonObject().getString("consentId"));
    assertEquals(1, events());
  }

  @Test
  void gpcRefusesProspectingEvenWhenAccepted() {
    var r = gw.postJson("/v1/consents", TestGateway.consentBody(site, "accept_all",
        Map.of("statistics", true, "prospecting", true)), Map.of("Sec-GPC", "1"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(false, r.bodyAsJsonObject().getJsonObject("choices").getBoolean("prospecting"));
    assertEquals(true, r.bodyAsJsonObject().getJsonObject("choices").getBoolean("statistics"));
  }

  // ---- bad input: a clear 4xx with {"error","message"} and no row written ----

  void refused(HttpResponse<Buffer> r, int status, String error) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(error, body.getString("error"));
    assertNotNull(body.getString("message"));
    assertFalse(r.bodyAsString().contains("Exception"), "no stack trace in a response");
    assertEquals(0, events(), "nothing was written");
  }

  HttpResponse<Buffer> raw(String body, String contentType) {
    return gw.send(HttpMethod.POST, "/v1/consents", Map.of("Content-Type", contentType), Buffer.buffer(body));
  }

  @Test
  void malformedJsonIsRefused() {
    refused(raw("{\"siteId\": ", "application/json"), 400, "malformed_json");
    refused(raw("[1,2]", "application/json"), 400, "malformed_json");
    refused(raw("", "application/json"), 400, "empty_body");
  }

  @Test
  void wrongTypesAreRefused() {
    refused(gw.postJson("/v1/consents", valid().put("choices", "all"), Map.of()), 400, "invalid_field");
    refused(gw.postJson("/v1/consents", valid().put("choices", new JsonObject().put("statistics", "yes")), Map.of()),
        400, "invalid_field");
    refused(gw.postJson("/v1/consents", valid().put("locale", 12), Map.of()), 400, "invalid_field");
    refused(gw.postJson("/v1/consents", valid().put("subjectId", "not-a-uuid"), Map.of()), 400, "invalid_field");
    refused(gw.postJson("/v1/consents", valid().put("method", "maybe"), Map.of()), 400, "invalid_method");
  }

  @Test
  void unknownSiteIsRefused() {
    refused(gw.postJson("/v1/consents", valid().put("siteId", "no-such-site"), Map.of()), 400, "unknown_site");
    refused(gw.postJson("/v1/sites/no-such-site/notices", new JsonObject(), Map.of()), 404, "unknown_site");
    assertEquals(0, notices());
  }

  @Test
  void unknownPurposeIsRefused() {
    refused(gw.postJson("/v1/consents", valid().put("choices", new JsonObject().put("telepathy", true)), Map.of()),
        400, "unknown_purpose");
  }

  @Test
  void missingOrUnknownPolicyVersionIsRefused() {
    JsonObject body = valid();
    body.remove("policyVersion");
    refused(gw.postJson("/v1/consents", body, Map.of()), 400, "missing_field");
    refused(gw.postJson("/v1/consents", valid().put("policyVersion", "1999-01"), Map.of()), 400,
        "unknown_policy_version");
  }

  @Test
  void oversizedBodyIsRefused() {
    String big = "x".repeat(17 * 1024);
    refused(gw.postJson("/v1/consents", valid().put("pad", big), Map.of()), 413, "payload_too_large");
  }

  @Test
  void invalidUtf8IsRefused() {
    Buffer body = Buffer.buffer("{\"siteId\":\"").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28})
        .appendString("\"}");
    var r = gw.send(HttpMethod.POST, "/v1/consents", Map.of("Content-Type", "application/json"), body);
    refused(r, 400, "invalid_utf8");
  }

  @Test
  void foreignOriginIsRefused() {
    refused(gw.postJson("/v1/consents", valid(), Map.of("Origin", "https://evil.example")), 403, "forbidden");
  }

  @Test
  void forgedExpiredAndForeignTokensAreRefused() {
    JsonObject c = gw.consent(valid());
    String token = c.getString("token");
    String[] parts = token.split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[2])));
    payload.put("p", new io.vertx.core.json.JsonArray().add("necessary").add("statistics").add("prospecting"));
    String forged = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.encode().getBytes()) + "." + parts[3];
    long before = events();
    for (String bad : new String[] {forged, token.substring(0, token.length() - 2) + "AA", "garbage", "v1.x.y.z"}) {
      var r = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(bad));
      assertEquals(401, r.statusCode(), bad);
      assertEquals("invalid_token", r.bodyAsJsonObject().getString("error"));
      var w = gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site), TestGateway.bearer(bad));
      assertEquals(401, w.statusCode());
    }
    String other = TestStores.uniqueSite("api-other");
    gw.createSite(other);
    var foreign = gw.get("/v1/consents/current?site=" + other, TestGateway.bearer(token));
    assertEquals(401, foreign.statusCode());
    assertEquals("invalid_token", foreign.bodyAsJsonObject().getString("error"));
    var none = gw.get("/v1/consents/current?site=" + site, Map.of());
    assertEquals(401, none.statusCode());

    clock.set(Instant.parse(c.getString("expiresAt")));
    try {
      var expired = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(token));
      assertEquals(401, expired.statusCode());
      assertEquals("token_expired", expired.bodyAsJsonObject().getString("error"));
      var w = gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site), TestGateway.bearer(token));
      assertEquals(401, w.statusCode());
    } finally {
      clock.set(Instant.parse("2026-11-26T12:00:00Z"));
    }
    assertEquals(before, events(), "refused tokens change nothing");
  }

  @Test
  void receiptOfSomeoneElsesConsentIsNotFound() {
    JsonObject mine = gw.consent(valid());
    JsonObject theirs = gw.consent(valid());
    var r = gw.get("/v1/consents/" + theirs.getString("consentId") + "/receipt", TestGateway.bearer(mine.getString("token")));
    assertEquals(404, r.statusCode());
  }
}
