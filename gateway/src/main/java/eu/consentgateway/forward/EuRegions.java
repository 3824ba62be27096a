package eu.consentgateway.forward;

import java.util.Set;

/** The member states of the European Union (ISO 3166-1 alpha-2), the only places data may go (clause 13). */
public final class EuRegions {
  public static final Set<String> MEMBERS = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE",
      "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");

  private EuRegions() {
  }

  public static boolean isMember(String countryCode) {
    return countryCode != null && MEMBERS.contains(countryCode.toUpperCase());
  }
}
