package eu.consentgateway.collect;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;

/** An analytics beacon as the page sent it, checked for shape; nothing here is stored as is. */
record Beacon(String siteId, String token, String type, String name, String page, String referrerHost,
    JsonObject props, Integer screenW, Integer screenH, UUID eventId) {

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} _.:/-]{1,120}");
  private static final int MAX_PROPS = 20;

  static Beacon parse(JsonObject o) {
    String siteId = Bodies.string(o, "siteId", true, 64);
    String token = Bodies.string(o, "token", false, 2048);
    String type = Bodies.string(o, "type", true, 16);
    if (!type.equals("pageview") && !type.equals("event")) {
      throw ApiError.badRequest("invalid_field", "'type' must be pageview or event");
    }
    String name = Bodies.string(o, "name", type.equals("event"), 120);
    if (name != null && !NAME.matcher(name).matches()) {
      throw ApiError.badRequest("invalid_field", "'name' has characters that are not allowed");
    }
    String page = page(Bodies.string(o, "url", true, 2000));
    String referrer = Bodies.string(o, "referrer", false, 2000);
    JsonObject props = Bodies.object(o, "props", false);
    if (props != null) {
      if (props.size() > MAX_PROPS) {
        throw ApiError.badRequest("invalid_field", "'props' has more than " + MAX_PROPS + " entries");
      }
      props.forEach(e -> {
        Object v = e.getValue();
        boolean scalar = v == null || v instanceof Boolean || v instanceof Number
            || (v instanceof String s && s.length() <= 200);
        if (e.getKey().length() > 40 || !scalar) {
          throw ApiError.badRequest("invalid_field", "'props' values must be short strings, numbers or booleans");
        }
      });
    }
    Integer w = null;
    Integer h = null;
    JsonObject screen = Bodies.object(o, "screen", false);
    if (screen != null) {
      w = dimension(screen, "w");
      h = dimension(screen, "h");
    }
    String eventText = Bodies.string(o, "eventId", false, 36);
    UUID eventId;
    try {
      eventId = eventText == null ? UUID.randomUUID() : UUID.fromString(eventText);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_field", "'eventId' must be a UUID");
    }
    return new Beacon(siteId, token, type, name, page, referrer == null || referrer.isEmpty() ? null
        : host(referrer), props, w, h, eventId);
  }

  /** Origin and path only: query strings and fragments often carry e-mails or tokens. */
  static String page(String url) {
    URI uri = uri(url, "url");
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getScheme() + "://" + uri.getHost().toLowerCase() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
        + (path.length() > 500 ? path.substring(0, 500) : path);
  }

  static String host(String url) {
    try {
      URI uri = new URI(url);
      return uri.getHost() == null ? null : uri.getHost().toLowerCase();
    } catch (Exception e) {
      return null; // a referrer we cannot read is simply not kept
    }
  }

  private static URI uri(String url, String field) {
    try {
      URI uri = new URI(url);
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (Exception e) {
      // refused below
    }
    throw ApiError.badRequest("invalid_field", "'" + field + "' must be an absolute http(s) URL");
  }

  private static Integer dimension(JsonObject screen, String field) {
    Object v = screen.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 0 || n.intValue() > 20000) {
      throw ApiError.badRequest("invalid_field", "'screen." + field + "' must be a whole number of pixels");
    }
    return n.intValue();
  }
}
