package eu.consentgateway.forward;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.site.DestinationPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates forwarding destinations: known type, http(s) URL, declared EU region, known purposes. */
public final class DestinationChecker implements DestinationPolicy {
  private final EuLocator eu;

  public DestinationChecker(EuLocator eu) {
    this.eu = eu;
  }

  private static final Set<String> TYPES = Set.of("webhook", "matomo", "plausible");
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  @Override
  public Future<JsonArray> check(String siteId, JsonArray destinations, Set<String> purposeIds) {
    JsonArray out = new JsonArray();
    Set<String> ids = new HashSet<>();
    for (Object o : destinations) {
      if (!(o instanceof JsonObject d)) {
        return Future.failedFuture(ApiError.badRequest("invalid_destination", "each destination must be an object"));
      }
      String id = Bodies.matching(d, "id", true, ID);
      if (!ids.add(id)) {
        return Future.failedFuture(ApiError.badRequest("invalid_destination", "destination listed twice: " + id));
      }
      String type = Bodies.string(d, "type", true, 16);
      if (!TYPES.contains(type)) {
        return Future.failedFuture(ApiError.badRequest("invalid_destination",
            "destination '" + id + "': type must be webhook, matomo or plausible"));
      }
      String url = Bodies.string(d, "url", true, 2000);
      URI uri;
      try {
        uri = new URI(url);
      } catch (Exception e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        return Future.failedFuture(ApiError.badRequest("invalid_destination",
            "destination '" + id + "': url must be an absolute http(s) URL"));
      }
      String region = Bodies.string(d, "region", true, 2);
      if (!EuRegions.isMember(region)) {
        return Future.failedFuture(ApiError.badRequest("destination_outside_eu", "destination '" + id
            + "' declares region '" + region + "', which is not an EU member state: no transfer outside the EU"));
      }
      JsonArray purposes = Bodies.array(d, "purposes", true);
      for (Object p : purposes) {
        if (!(p instanceof String s) || !purposeIds.contains(s)) {
          return Future.failedFuture(ApiError.badRequest("unknown_purpose",
              "destination '" + id + "' requires unknown purpose " + p));
        }
      }
      out.add(d.copy().put("region", region.toUpperCase()));
    }
    // the declared region is not enough: where the host's addresses really are decides (clause 13)
    Future<Void> located = Future.succeededFuture();
    for (Object o : out) {
      JsonObject d = (JsonObject) o;
      String host = URI.create(d.getString("url")).getHost();
      located = located.compose(v -> eu.check(host).compose(verdict -> verdict.eu() ? Future.<Void>succeededFuture()
          : Future.failedFuture(ApiError.badRequest("destination_outside_eu", "destination '" + d.getString("id")
              + "' is refused: " + verdict.reason() + "; no transfer outside the EU"))));
    }
    return located.map(out);
  }
}
