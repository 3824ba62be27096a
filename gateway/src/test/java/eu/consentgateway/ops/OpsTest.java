package eu.consentgateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, metrics, the OpenAPI description, headers and CORS. */
class OpsTest {
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void liveAndReadyAnswerWhenStoresAnswer() {
    assertEquals(200, gw.get("/health/live", Map.of()).statusCode());
    var ready = gw.get("/health/ready", Map.of());
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertEquals("UP", ready.bodyAsJsonObject().getString("status"));
    assertFalse(ready.bodyAsString().contains("postgresql"), "the public port says only the status");
    var detailed = gw.management("/health/ready");
    assertEquals(200, detailed.statusCode(), detailed.bodyAsString());
    assertEquals("UP", detailed.bodyAsJsonObject().getJsonObject("checks").getJsonObject("postgresql")
        .getString("status"));
    assertEquals("UP", detailed.bodyAsJsonObject().getJsonObject("checks").getJsonObject("redis").getString("status"));
  }

  @Test
  void metricsExposeConsentCountersInPrometheusText() {
    String site = TestStores.uniqueSite("ops");
    gw.createSite(site);
    gw.consent(TestGateway.consentBody(site, "reject_all", Map.of()));
    assertEquals(404, gw.get("/metrics", Map.of()).statusCode(), "metrics are not on the visitor-facing port");
    var metrics = gw.management("/metrics");
    assertEquals(200, metrics.statusCode());
    String text = metrics.bodyAsString();
    assertTrue(text.contains("cg_consent_events_total{event=\"given\",method=\"reject_all\"}"), text);
    assertTrue(text.contains("vertx_http_server_requests_total"));
  }

  @Test
  void openApiDescribesEveryMountedRoute() {
    String yaml = gw.get("/openapi.yaml", Map.of()).bodyAsString();
    Set<String> described = new HashSet<>();
    String path = null;
    for (String line : yaml.split("\n")) {
      Matcher p = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
      Matcher m = Pattern.compile("^    (get|put|post|delete|patch):").matcher(line);
      if (p.matches()) {
        path = p.group(1);
      } else if (m.find() && path != null) {
        described.add(m.group(1).toUpperCase() + " " + path);
      } else if (!line.startsWith(" ") && !line.isBlank()) {
        path = null;
      }
    }
    List<String> routes = gw.gateway().routes();
    assertTrue(routes.size() > 10, routes.toString());
    for (String route : routes) {
      assertTrue(described.contains(route), "missing from openapi.yaml: " + route);
    }
  }

  @Test
  void responsesCarrySecurityHeadersAndUnknownPathsAreJson404() {
    var r = gw.get("/no/such/path", Map.of());
    assertEquals(404, r.statusCode());
    assertEquals("not_found", r.bodyAsJsonObject().getString("error"));
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
    assertEquals("no-referrer", r.getHeader("Referrer-Policy"));
    assertTrue(r.getHeader("Content-Security-Policy").contains("default-src 'none'"));
    var wrongMethod = gw.send(HttpMethod.DELETE, "/v1/consents", Map.of(), null);
    assertTrue(wrongMethod.statusCode() == 404 || wrongMethod.statusCode() == 405);
    assertFalse(wrongMethod.bodyAsString().contains("Exception"));
  }

  @Test
  void preflightIsAnsweredOnlyForConfiguredOrigins() {
    String site = TestStores.uniqueSite("ops-cors");
    gw.createSite(site);
    var ok = gw.send(HttpMethod.OPTIONS, "/v1/consents", Map.of("Origin", "https://shop.example",
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"), null);
    assertEquals(204, ok.statusCode());
    assertEquals("https://shop.example", ok.getHeader("Access-Control-Allow-Origin"));
    var refused = gw.send(HttpMethod.OPTIONS, "/v1/consents", Map.of("Origin", "https://evil.example",
        "Access-Control-Request-Method", "POST"), null);
    assertEquals(403, refused.statusCode());
    assertEquals(null, refused.getHeader("Access-Control-Allow-Origin"));
    var admin = gw.send(HttpMethod.OPTIONS, "/v1/admin/keys", Map.of("Origin", "https://shop.example",
        "Access-Control-Request-Method", "POST"), null);
    assertEquals(403, admin.statusCode(), "the admin API never answers a browser pre-flight");
  }

  @Test
  void widgetIsServedCompressedWithEtagAndContentHash() {
    var plain = gw.get("/consent.js", Map.of());
    assertEquals(200, plain.statusCode());
    String etag = plain.getHeader("ETag");
    assertTrue(etag != null && etag.length() > 4);
    assertEquals(304, gw.get("/consent.js", Map.of("If-None-Match", etag)).statusCode());
    assertEquals("*", plain.getHeader("Access-Control-Allow-Origin"), "loadable with crossorigin=anonymous");
    var gz = gw.get("/consent.js", Map.of("Accept-Encoding", "gzip"));
    assertEquals("gzip", gz.getHeader("Content-Encoding"));
    String hash = etag.replace("\"", "");
    var hashed = gw.get("/consent." + hash + ".js", Map.of());
    assertEquals(200, hashed.statusCode());
    assertTrue(hashed.getHeader("Cache-Control").contains("immutable"));
  }

  @Test
  void siteSpecificWidgetCarriesTheSiteConfigAndFollowsItsChanges() {
    String site = TestStores.uniqueSite("ops-widget");
    gw.createSite(site);
    var generic = gw.get("/consent.js", Map.of());
    var specific = gw.get("/consent.js?site=" + site, Map.of());
    assertEquals(200, specific.statusCode());
    String config = gw.get("/v1/sites/" + site + "/config", Map.of()).bodyAsString();
    assertEquals(generic.bodyAsString().replace("\"__CG_SITE_CONFIG__\"", config), specific.bodyAsString(),
        "the bundle with its placeholder swapped for the config the config endpoint gives");
    assertEquals("public, max-age=60", specific.getHeader("Cache-Control"));
    String etag = specific.getHeader("ETag");
    assertFalse(etag.equals(generic.getHeader("ETag")));
    assertEquals(304, gw.get("/consent.js?site=" + site, Map.of("If-None-Match", etag)).statusCode());
    var gz = gw.get("/consent.js?site=" + site, Map.of("Accept-Encoding", "gzip, br"));
    assertEquals("gzip", gz.getHeader("Content-Encoding"), "no brotli encoder in the JDK: gzip");

    var published = gw.postJson("/v1/admin/sites/" + site + "/policy",
        new io.vertx.core.json.JsonObject().put("version", "2027-01"), TestGateway.admin());
    assertEquals(201, published.statusCode(), published.bodyAsString());
    var changed = gw.get("/consent.js?site=" + site, Map.of("If-None-Match", etag));
    assertEquals(200, changed.statusCode(), "a new policy makes a new script");
    assertTrue(changed.bodyAsString().contains("\"version\":\"2027-01\""));

    var unknown = gw.get("/consent.js?site=" + TestStores.uniqueSite("nowhere"), Map.of());
    assertEquals(200, unknown.statusCode());
    assertEquals(generic.getHeader("ETag"), unknown.getHeader("ETag"), "an unknown site gets the plain bundle");
    var malformed = gw.get("/consent.js?site=NOT%20A%20SITE", Map.of());
    assertEquals(400, malformed.statusCode());
    assertEquals("invalid_site_id", malformed.bodyAsJsonObject().getString("error"));
  }
}
