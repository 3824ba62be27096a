package eu.consentgateway.consent;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/** One row of the consent ledger, with everything that proves it. */
public record ConsentRecord(UUID consentId, String siteId, UUID subjectId, String kind, UUID noticeId,
    String policyVersion, String textHash, String locale, String method, Map<String, Boolean> choices,
    Instant givenAt, Instant periodStart, Instant expiresAt, UUID supersedes, String requestKey, String requestHash,
    String ipPrefix, String uaFamily, boolean gpc) {

  public Set<String> granted() {
    return choices.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
        .collect(Collectors.toUnmodifiableSet());
  }

  TokenClaims claims() {
    return new TokenClaims(siteId, subjectId, consentId, granted(), expiresAt, policyVersion, periodStart);
  }

  /** The public shape of the contract ({@code token} added by the caller when one is issued). */
  public JsonObject toJson() {
    JsonObject c = new JsonObject();
    new TreeMap<>(choices).forEach(c::put);
    return new JsonObject()
        .put("consentId", consentId.toString())
        .put("siteId", siteId)
        .put("subjectId", subjectId.toString())
        .put("event", kind)
        .put("method", method)
        .put("choices", c)
        .put("givenAt", givenAt.toString())
        .put("expiresAt", expiresAt.toString())
        .put("policyVersion", policyVersion)
        .put("locale", locale);
  }
}
