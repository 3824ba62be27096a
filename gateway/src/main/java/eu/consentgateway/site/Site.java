package eu.consentgateway.site;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A site as the operator configured it. {@code substantialChange} is the latest substantial policy version
 * published after the site's first one (null when none was), the one account holders are told of when the site
 * asks for it ({@code notifyAccountsOfPolicyChanges}). {@code renewAfter} is when the latest substantial policy version
 * was published: consents whose validity period began before it no longer count. {@code acceptedVersions} are
 * the policy versions a new consent may name: the current one and those published since the latest
 * substantial one. {@code timeZone} decides the site's days (statistics, the visitor salt); {@code k} is its
 * anonymity threshold.
 */
public record Site(String id, String name, List<String> origins, String policyVersion, String policyUrl,
    Set<String> acceptedVersions, Instant renewAfter, List<Purpose> purposes, List<String> locales, JsonObject texts,
    JsonArray destinations, Map<String, String> textHashes, ZoneId timeZone, int k, Widget widget,
    String substantialChange, boolean notifyAccountsOfPolicyChanges, JsonObject stored) {

  /** How the banner behaves on the site's pages. */
  public record Widget(boolean floatingButton, Integer repromptAfterRefusalDays) {
    public JsonObject toJson() {
      return new JsonObject().put("floatingButton", floatingButton)
          .put("repromptAfterRefusalDays", repromptAfterRefusalDays);
    }
  }

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
