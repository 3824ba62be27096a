package eu.consentgateway.rights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The visitor's rights: see, change and withdraw consent, export and erase, with and without JavaScript. */
class RightsTest {
  static MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  static TestGateway gw;
  String site;
  JsonObject consent;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(clock);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @BeforeEach
  void setUp() {
    clock.set(Instant.parse("2026-11-26T12:00:00Z"));
    site = TestStores.uniqueSite("rights");
    gw.createSite(site);
    consent = gw.consent(TestGateway.consentBody(site, "accept_all", Map.of("statistics", true, "prospecting", true)));
    clock.advance(Duration.ofDays(30));
  }

  long events() {
    return TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site);
  }

  HttpResponse<Buffer> form(String path, Map<String, String> fields, Map<String, String> headers) {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("Content-Type", "application/x-www-form-urlencoded");
    return gw.send(HttpMethod.POST, path, h, Buffer.buffer(body.toString()));
  }

  static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    assertTrue(m.find(), name + " missing");
    return m.group(1);
  }

  Map<String, String> page(String token) {
    return new LinkedHashMap<>(Map.of("site", site, "token", token, "return", "https://shop.example/account"));
  }

  /** Opens the preferences page for `token` and returns its form fields, with the page's CSRF token. */
  Map<String, String> pageForm(String token) {
    String html = form("/preferences", page(token), Map.of()).bodyAsString();
    Map<String, String> fields = page(token);
    fields.put("csrf", hidden(html, "csrf"));
    return fields;
  }

  @Test
  void exportGivesTheWholeHistoryAsJsonAndCsv() {
    String token = consent.getString("token");
    var json = gw.get("/v1/me/export?site=" + site, TestGateway.bearer(token));
    assertEquals(200, json.statusCode());
    JsonObject body = json.bodyAsJsonObject();
    assertEquals(consent.getString("subjectId"), body.getJsonObject("subject").getString("id"));
    assertEquals(1, body.getJsonArray("consents").size());
    assertEquals(consent.getString("expiresAt"), body.getJsonArray("consents").getJsonObject(0).getString("expiresAt"));
    var csv = gw.get("/v1/me/export?site=" + site + "&format=csv", TestGateway.bearer(token));
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    String[] lines = csv.bodyAsString().split("\r\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].startsWith("consent_id,event,method") && lines[0].endsWith("necessary,statistics,prospecting"));
    assertTrue(lines[1].startsWith(consent.getString("consentId") + ",given,accept_all"));
    assertEquals(400, gw.get("/v1/me/export?site=" + site + "&format=xml", TestGateway.bearer(token)).statusCode());
    assertEquals(401, gw.get("/v1/me/export?site=" + site, Map.of()).statusCode());
  }

  @Test
  void erasureDeletesTheSubjectAndKillsItsToken() {
    String token = consent.getString("token");
    var erased = gw.send(HttpMethod.DELETE, "/v1/me?site=" + site, TestGateway.bearer(token), null);
    assertEquals(200, erased.statusCode(), erased.bodyAsString());
    assertEquals(1, erased.bodyAsJsonObject().getInteger("erased"));
    assertEquals(0, events());
    assertEquals(401, gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode());
    assertEquals(401, gw.get("/v1/me/export?site=" + site, TestGateway.bearer(token)).statusCode());
  }

  @Test
  void preferencesPageShowsTheChoiceDateAndFixedExpiryWithoutJavascript() {
    var empty = gw.get("/preferences?site=" + site, Map.of("Accept-Language", "en"));
    assertEquals(200, empty.statusCode());
    assertTrue(empty.bodyAsString().contains("No consent was found on this device"));
    var r = form("/preferences", page(consent.getString("token")), Map.of("Accept-Language", "fr-FR"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String html = r.bodyAsString();
    assertTrue(html.contains("<html lang=\"fr\">"));
    assertTrue(html.contains("id=\"cg-pref-expires\">2027-12-26 12:00 UTC"), html);
    assertTrue(html.contains("id=\"cg-pref-given\">2026-11-26 12:00 UTC"));
    assertTrue(html.contains("value=\"statistics\" checked"));
    assertFalse(html.contains("<script"), "no JavaScript needed");
    String csp = r.getHeader("Content-Security-Policy");
    assertTrue(csp.contains("default-src 'none'") && csp.contains("form-action 'self'"), csp);
    assertTrue(html.contains("href=\"https://shop.example/account#cg_token=" + consent.getString("token") + "\""));
  }

  @Test
  void changingTheChoiceOnThePageKeepsTheExpiry() {
    Map<String, String> fields = pageForm(consent.getString("token"));
    fields.put("purpose", "statistics"); // prospecting unticked
    var saved = form("/preferences/update", fields, Map.of());
    assertEquals(200, saved.statusCode(), saved.bodyAsString());
    String after = saved.bodyAsString();
    assertTrue(after.contains("value=\"statistics\" checked") && !after.contains("value=\"prospecting\" checked"));
    assertTrue(after.contains("id=\"cg-pref-expires\">2027-12-26 12:00 UTC"), "same expiry after a change");
    assertEquals(2, events());
    assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND kind = 'updated' "
        + "AND choices ->> 'prospecting' = 'false' AND expires_at = ?::timestamptz", site, consent.getString("expiresAt")));
    assertEquals(401, gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(consent.getString("token")))
        .statusCode(), "the replaced token no longer works");
  }

  @Test
  void withdrawingOnThePageRefusesTheTokenAndHandsBackTheNewOne() {
    String token = consent.getString("token");
    Map<String, String> fields = pageForm(token);
    var withdrawn = form("/preferences/withdraw", fields, Map.of("Origin", gw.base()));
    assertEquals(200, withdrawn.statusCode(), withdrawn.bodyAsString());
    assertEquals(401, gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode());
    String newToken = hidden(withdrawn.bodyAsString(), "token");
    assertTrue(withdrawn.bodyAsString().contains("#cg_token=" + newToken));
    var current = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(newToken));
    assertEquals("withdrawn", current.bodyAsJsonObject().getString("event"));
  }

  @Test
  void forgedOrForeignFormsChangeNothing() {
    String token = consent.getString("token");
    Map<String, String> fields = pageForm(token);
    String csrf = fields.put("csrf", "forged");
    assertEquals(403, form("/preferences/withdraw", fields, Map.of()).statusCode());
    fields.put("csrf", csrf);
    assertEquals(403, form("/preferences/withdraw", fields, Map.of("Origin", "https://evil.example")).statusCode());
    assertEquals(403, form("/preferences/delete", fields, Map.of("Sec-Fetch-Site", "cross-site")).statusCode());
    assertEquals(1, events());
    Map<String, String> foreignReturn = page(token);
    foreignReturn.put("return", "https://evil.example/steal");
    assertFalse(form("/preferences", foreignReturn, Map.of()).bodyAsString().contains("evil.example"));
  }

  @Test
  void exportAndDeleteFromThePage() {
    String token = consent.getString("token");
    Map<String, String> fields = pageForm(token);
    fields.put("format", "csv");
    var csv = form("/preferences/export", fields, Map.of());
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Disposition").contains("attachment"));
    assertTrue(csv.bodyAsString().contains(consent.getString("consentId")));
    fields.remove("format");
    var deleted = form("/preferences/delete", fields, Map.of());
    assertEquals(200, deleted.statusCode());
    assertTrue(deleted.bodyAsString().contains("Your data was deleted") || deleted.bodyAsString().contains("supprimées"));
    assertEquals(0, events());
  }
}
