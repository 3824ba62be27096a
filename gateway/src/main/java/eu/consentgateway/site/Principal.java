package eu.consentgateway.site;

import eu.consentgateway.http.ApiError;
import java.util.Set;

/** Who an API key speaks for: a role and the sites it may touch ({@code allSites} for the bootstrap admin). */
public record Principal(String keyId, Role role, Set<String> sites, boolean allSites) {
  public enum Role {
    ADMIN, MARKETING, SITE
  }

  public Principal requireRole(Role needed) {
    if (role != needed) {
      throw ApiError.forbidden("this key's role cannot use this endpoint");
    }
    return this;
  }

  public Principal requireSite(String siteId) {
    if (!allSites && !sites.contains(siteId)) {
      throw ApiError.forbidden("this key is not valid for this site");
    }
    return this;
  }
}
