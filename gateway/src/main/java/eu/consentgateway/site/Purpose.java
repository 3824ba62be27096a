package eu.consentgateway.site;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A purpose of processing the visitor is asked about. {@code gpc} purposes are refused whenever the
 * browser sends Global Privacy Control; {@code consentMode} lists the Google Consent Mode types it drives.
 */
public record Purpose(String id, boolean required, boolean gpc, Map<String, String> labels,
    Map<String, String> descriptions, List<String> cookies, List<String> consentMode) {

  public static final String NECESSARY = "necessary";

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("required", required)
        .put("gpc", gpc)
        .put("labels", new JsonObject(Map.copyOf(labels)))
        .put("descriptions", new JsonObject(Map.copyOf(descriptions)))
        .put("cookies", new JsonArray(cookies))
        .put("consentMode", new JsonArray(consentMode));
  }
}
