package eu.consentgateway.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * How one outbox row looks on the wire for each destination type: a generic JSON webhook, Matomo's HTTP
 * tracking API, Plausible's events API. No address, user-agent string or visitor identifier is sent.
 */
final class Formats {
  static final String USER_AGENT = "ConsentGateway/1 (consent-gated forwarder)";

  /** A request ready to send: JSON or form body. */
  record Outgoing(String url, JsonObject json, MultiMap form) {
  }

  private Formats() {
  }

  static Outgoing of(JsonObject destination, String siteId, String deliveryId, JsonObject event) {
    String url = destination.getString("url");
    return switch (destination.getString("type")) {
      case "matomo" -> new Outgoing(url, null, matomo(destination, deliveryId, event));
      case "plausible" -> new Outgoing(url, plausible(destination, siteId, event), null);
      default -> new Outgoing(url, new JsonObject()
          .put("deliveryId", deliveryId)
          .put("siteId", siteId)
          .put("destination", destination.getString("id"))
          .put("event", event), null);
    };
  }

  private static MultiMap matomo(JsonObject d, String deliveryId, JsonObject e) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("idsite", String.valueOf(d.getValue("siteId", "1")))
        .add("rec", "1")
        .add("apiv", "1")
        .add("url", e.getString("page"))
        .add("rand", deliveryId);
    if ("event".equals(e.getString("type"))) {
      form.add("e_c", "event").add("e_a", e.getString("name"));
    } else {
      form.add("action_name", e.getString("name") != null ? e.getString("name") : e.getString("page"));
    }
    if (e.getString("referrerHost") != null) {
      form.add("urlref", "https://" + e.getString("referrerHost") + "/");
    }
    JsonObject screen = e.getJsonObject("screen");
    if (screen != null) {
      form.add("res", screen.getInteger("w") + "x" + screen.getInteger("h"));
    }
    if (e.getString("language") != null) {
      form.add("lang", e.getString("language"));
    }
    return form;
  }

  private static JsonObject plausible(JsonObject d, String siteId, JsonObject e) {
    JsonObject body = new JsonObject()
        .put("name", "event".equals(e.getString("type")) ? e.getString("name") : "pageview")
        .put("url", e.getString("page"))
        .put("domain", d.getString("domain", siteId));
    if (e.getString("referrerHost") != null) {
      body.put("referrer", "https://" + e.getString("referrerHost") + "/");
    }
    if (e.getJsonObject("props") != null) {
      body.put("props", e.getJsonObject("props"));
    }
    JsonObject screen = e.getJsonObject("screen");
    if (screen != null) {
      body.put("screen_width", screen.getInteger("w"));
    }
    return body;
  }
}
