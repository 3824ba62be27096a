package eu.consentgateway.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** Known figures for the dashboard: terminal events written straight to the table, banners and choices via the API. */
final class DashboardSeed {
  private DashboardSeed() {
  }

  /**
   * One pageview per visitor number, at 10:00 UTC (11:00 in Paris) on {@code day}, on {@code path}, from
   * {@code referrer} (null: direct). Browser, OS, device, country and language vary with the visitor number.
   */
  static void pageviews(String site, String day, String path, String referrer, int... visitors) {
    String at = day + "T10:00:00Z";
    StringBuilder values = new StringBuilder();
    for (int v : visitors) {
      values.append(values.length() > 0 ? "," : "").append(String.format("('%s', gen_random_uuid(),"
          + " date_trunc('month', TIMESTAMPTZ '%s' AT TIME ZONE 'UTC'), TIMESTAMPTZ '%s', 'pageview',"
          + " 'https://shop.example%s', %s, '%s', '%s', '%s', '%s', '%s', decode(lpad(to_hex(%d), 32, '0'), 'hex'))",
          site, at, at, path, referrer == null ? "NULL" : "'" + referrer + "'", v % 3 == 0 ? "Chrome" : "Firefox",
          v % 2 == 0 ? "Windows" : "Linux", v % 4 == 0 ? "Mobile" : "Desktop", v % 5 == 0 ? "DE" : "FR",
          v % 3 == 0 ? "en" : "fr", v));
    }
    TestStores.execute("INSERT INTO terminal.events (site_id, event_id, month, received_at, type, page, referrer_host,"
        + " browser, os, device, country, language, visitor_hash) VALUES " + values);
  }

  /**
   * {@code notices} banners shown at 10:00 UTC on {@code day}, then one choice per method given (accept_all grants
   * statistics and prospecting, custom statistics only, the others nothing). Returns the first accept_all's token.
   */
  static String consents(TestGateway gw, MutableClock clock, String site, String day, int notices, String... methods) {
    clock.set(Instant.parse(day + "T10:00:00Z"));
    for (int i = 0; i < notices; i++) {
      assertEquals(201, gw.postJson("/v1/sites/" + site + "/notices", new JsonObject(), Map.of()).statusCode());
    }
    String first = null;
    for (String method : methods) {
      Map<String, Boolean> choices = switch (method) {
        case "accept_all" -> Map.of("statistics", true, "prospecting", true);
        case "custom" -> Map.of("statistics", true);
        default -> Map.of();
      };
      String token = gw.consent(TestGateway.consentBody(site, method, choices)).getString("token");
      if (first == null && method.equals("accept_all")) {
        first = token;
      }
    }
    return first;
  }
}
