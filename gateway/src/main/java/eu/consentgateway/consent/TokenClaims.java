package eu.consentgateway.consent;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** What a consent token states: whose consent, for which site, which purposes, valid until when. */
public record TokenClaims(String siteId, UUID subjectId, UUID consentId, Set<String> granted, Instant expiresAt,
    String policyVersion, Instant periodStart) {

  public boolean grants(String purpose) {
    return granted.contains(purpose);
  }

  /** The same claims without {@code refused} among the granted purposes. */
  public TokenClaims without(Set<String> refused) {
    if (refused.isEmpty() || java.util.Collections.disjoint(granted, refused)) {
      return this;
    }
    Set<String> kept = new java.util.HashSet<>(granted);
    kept.removeAll(refused);
    return new TokenClaims(siteId, subjectId, consentId, Set.copyOf(kept), expiresAt, policyVersion, periodStart);
  }
}
