package eu.consentgateway.consent;

import java.util.Set;
import java.util.UUID;

/**
 * Purposes a subject refuses whatever its banner answer says: an account holder's opposition to prospecting
 * (clause 3) reaches every subject linked to the account. Answered from memory: it is asked on every beacon.
 */
public interface Overrides {
  Overrides NONE = (siteId, subjectId) -> Set.of();

  Set<String> refused(String siteId, UUID subjectId);
}
