package eu.consentgateway.site;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A site as the operator configured it. {@code renewAfter} is when the latest substantial policy version
 * was published: consents whose validity period began before it no longer count.
 */
public record Site(String id, String name, List<String> origins, String policyVersion, String policyUrl,
    java.util.Set<String> versions, Instant renewAfter, List<Purpose> purposes, List<String> locales, JsonObject texts,
    JsonArray destinations, Map<String, String> textHashes, JsonObject stored) {

  public Optional<Purpose> purpose(String purposeId) {
    return purposes.stream().filter(p -> p.id().equals(purposeId)).findFirst();
  }

  public boolean allowsOrigin(String origin) {
    return origins.contains(origin);
  }

  public String textHash(String locale) {
    return textHashes.getOrDefault(locale, textHashes.get(locales.get(0)));
  }
}
