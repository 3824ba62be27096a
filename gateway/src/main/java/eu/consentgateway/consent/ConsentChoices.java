package eu.consentgateway.consent;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a consent request decides, purpose by purpose: the method must agree with the choices, required purposes
 * are always granted and Global Privacy Control refuses the purposes it covers. {@code method} is the one recorded
 * as proof; {@code gpc} is whether the signal applied.
 */
record ConsentChoices(String method, Map<String, Boolean> choices, boolean gpc) {
  static final Set<String> METHODS = Set.of("accept_all", "reject_all", "custom", "gpc", "dismiss");

  /** The method as sent, when it is one of {@link #METHODS}. */
  static String method(String method) {
    if (!METHODS.contains(method)) {
      throw ApiError.badRequest("invalid_method",
          "'method' must be accept_all, reject_all, custom, gpc or dismiss");
    }
    return method;
  }

  /**
   * The choices for every purpose of the site, or a 400 for an unknown purpose, a non-boolean choice or a method
   * that contradicts the choices. {@code gpcSignal}: the browser sent {@code Sec-GPC: 1}.
   */
  static ConsentChoices resolve(Site site, String method, JsonObject given, boolean gpcSignal) {
    method(method);
    for (String key : given.fieldNames()) {
      if (site.purpose(key).isEmpty()) {
        throw ApiError.badRequest("unknown_purpose", "site '" + site.id() + "' has no purpose '"
            + SiteRegistry.safe(key) + "'");
      }
      if (!(given.getValue(key) instanceof Boolean)) {
        throw ApiError.badRequest("invalid_field", "choice '" + SiteRegistry.safe(key) + "' must be true or false");
      }
    }
    boolean gpc = gpcSignal || "gpc".equals(method);
    boolean forcedByGpc = false;
    Map<String, Boolean> choices = new HashMap<>();
    for (Purpose p : site.purposes()) {
      boolean wanted = p.required() || given.getBoolean(p.id(), false);
      if ("accept_all".equals(method) && !wanted) {
        throw ApiError.badRequest("inconsistent_choices", "accept_all must grant every purpose; '" + p.id()
            + "' is not granted (use custom)");
      }
      if (("reject_all".equals(method) || "dismiss".equals(method)) && !p.required() && wanted) {
        throw ApiError.badRequest("inconsistent_choices", method + " cannot grant '" + p.id() + "' (use custom)");
      }
      boolean refusedByGpc = gpc && p.gpc() && !p.required();
      forcedByGpc |= refusedByGpc && wanted;
      choices.put(p.id(), wanted && !refusedByGpc);
    }
    // the browser's signal turned an "accept all" into a partial grant: the proof says so
    String recorded = forcedByGpc && "accept_all".equals(method) ? "gpc" : method;
    return new ConsentChoices(recorded, Map.copyOf(choices), gpc);
  }
}
