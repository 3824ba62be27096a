package eu.consentgateway.site;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/** Checks a site's forwarding destinations before they are stored (EU-only transfer, clause 13). */
public interface DestinationPolicy {
  /** The destinations, normalised, or a failed future with an {@code ApiError} naming the refused one. */
  Future<JsonArray> check(String siteId, JsonArray destinations, java.util.Set<String> purposeIds);
}
