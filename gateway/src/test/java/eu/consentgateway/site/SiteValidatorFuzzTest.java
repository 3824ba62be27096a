package eu.consentgateway.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An operator's site document, any bytes: a 4xx, or a normalised document that is stored and read back as a
 * {@link Site} without error, and that normalises to itself (what GET returns can be PUT again). Seeds:
 * {@code SiteValidatorFuzzTestInputs}.
 */
class SiteValidatorFuzzTest {
  private static final String SITE_ID = "fuzz-site";

  @FuzzTest
  void siteDocument(byte[] body) {
    JsonObject normalised;
    try {
      normalised = SiteValidator.normalise(SITE_ID, Bodies.parseObject(Buffer.buffer(body)));
    } catch (ApiError e) {
      assertTrue(e.status() >= 400 && e.status() < 500, "a refusal is a 4xx: " + e.status());
      return;
    }
    // stored as JSON text (jsonb), read back as the site
    JsonObject stored = new JsonObject(normalised.encode());
    storable(stored);
    Site site = Sites.fromStored(SITE_ID, stored, Set.of(), Instant.EPOCH, null);
    assertEquals(SITE_ID, site.id());
    assertFalse(site.origins().isEmpty(), "a site has an origin");
    assertFalse(site.locales().isEmpty(), "a site has a locale");
    assertTrue(site.purpose(Purpose.NECESSARY).map(Purpose::required).orElse(false), "necessary is required");
    assertEquals(1, site.purposes().stream().filter(Purpose::required).count(), "only necessary is required");
    assertTrue(site.acceptedVersions().contains(site.policyVersion()));
    for (String locale : site.locales()) {
      assertTrue(site.textHash(locale) != null, "a text hash for " + locale);
    }
    Sites.publicConfig(site, "https://gateway.example").encode();
    assertEquals(stored, SiteValidator.normalise(SITE_ID, stored.copy()), "the normalised document normalises to itself");
  }

  private static void storable(Object value) {
    if (value instanceof String s) {
      assertTrue(Bodies.storable(s), "unstorable text: " + s);
    } else if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        storable(e.getKey());
        storable(e.getValue());
      }
    } else if (value instanceof JsonArray a) {
      a.forEach(SiteValidatorFuzzTest::storable);
    } else if (value instanceof Double d) {
      assertTrue(Double.isFinite(d), "a stored number is finite");
    }
  }
}
