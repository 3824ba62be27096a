package eu.consentgateway.collect;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.terminal.FreeText;
import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Optional;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * An analytics beacon as the page sent it, checked for shape and screened: the page path, the event name and
 * the property values pass through {@link FreeText} (no e-mail, address, long number or opaque id survives),
 * properties are limited in number, key pattern and length. The referrer keeps only its host.
 */
record Beacon(String siteId, String token, String type, String name, String page, String referrerHost,
    JsonObject props, Integer screenW, Integer screenH, UUID eventId) {

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} _.:/-]{1,120}");
  private static final Pattern PROP_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,39}");
  private static final int MAX_PROPS = 20;
  private static final int MAX_PROP_VALUE = 200;
  private static final int MAX_PATH = 500;
  /** The longest DNS name. */
  private static final int MAX_HOST = 253;

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
    name = FreeText.screen(name);
    String page = page(Bodies.string(o, "url", true, 2000));
    String referrer = Bodies.string(o, "referrer", false, 2000);
    JsonObject props = props(Bodies.object(o, "props", false));
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
      eventId = eventText == null ? eventId(System.currentTimeMillis()) : UUID.fromString(eventText);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_field", "'eventId' must be a UUID");
    }
    return new Beacon(siteId, token, type, name, page, referrer == null || referrer.isEmpty() ? null
        : host(referrer), props, w, h, eventId);
  }

  /**
   * The id of a beacon that came without one, made as the widget makes its own (consent-widget/src/utils/uuid.js):
   * a version-7 UUID carrying the minute and 74 random bits, so that it sorts with the other ids of that minute
   * in the primary key of terminal.events.
   */
  static UUID eventId(long nowMillis) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    long hi = (nowMillis / 60_000 * 60_000) << 16 | 0x7000L | (rnd.nextInt() & 0x0fffL);
    long lo = (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }

  /** At most {@link #MAX_PROPS} entries, keys of a fixed pattern, short scalar values, every string screened. */
  static JsonObject props(JsonObject props) {
    if (props == null) {
      return null;
    }
    if (props.size() > MAX_PROPS) {
      throw ApiError.badRequest("invalid_field", "'props' has more than " + MAX_PROPS + " entries");
    }
    JsonObject out = new JsonObject();
    props.forEach(e -> {
      if (!PROP_KEY.matcher(e.getKey()).matches()) {
        throw ApiError.badRequest("invalid_field", "'props' keys must match " + PROP_KEY.pattern());
      }
      Object v = e.getValue();
      if (v instanceof String s && s.length() <= MAX_PROP_VALUE) {
        out.put(e.getKey(), FreeText.screen(s));
      } else if (v instanceof Double d && !Double.isFinite(d)) {
        // 1e400 reads as Infinity, which JSON cannot store as a number
        throw ApiError.badRequest("invalid_field", "'props' numbers must be finite");
      } else if (v instanceof Number n) {
        // a number can be a phone or card number too
        String digits = n.toString();
        out.put(e.getKey(), FreeText.screen(digits).equals(digits) ? n : FreeText.NUMBER);
      } else if (v == null || v instanceof Boolean) {
        out.put(e.getKey(), v);
      } else {
        throw ApiError.badRequest("invalid_field", "'props' values must be strings of at most " + MAX_PROP_VALUE
            + " characters, numbers or booleans");
      }
    });
    return out;
  }

  /**
   * Screened pages and referrer hosts of recent beacons: a site's beacons name the same few hundred URLs over and
   * over, and screening is pure. Bounded in entries and in the length of what is remembered; a URL that is refused
   * throws out of the loader and is never remembered.
   */
  private static final int MEMO_MAX_URL = 300;
  private static final Cache<String, String> PAGES = Caches.builder().maximumSize(20_000).build();
  private static final Cache<String, Optional<String>> HOSTS = Caches.builder().maximumSize(5_000).build();

  /** Origin and path only: query strings and fragments often carry e-mails or tokens. */
  static String page(String url) {
    return url.length() > MEMO_MAX_URL ? screenPage(url) : PAGES.get(url, Beacon::screenPage);
  }

  private static String screenPage(String url) {
    URI uri = uri(url, "url");
    String path = FreeText.path(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    if (path.length() > MAX_PATH) {
      // never between the two halves of a surrogate pair: a lone one cannot be stored
      path = path.substring(0, Character.isHighSurrogate(path.charAt(MAX_PATH - 1)) ? MAX_PATH - 1 : MAX_PATH);
    }
    return uri.getScheme() + "://" + host(uri) + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path;
  }

  static String host(String url) {
    return url.length() > MEMO_MAX_URL ? screenHost(url)
        : HOSTS.get(url, u -> Optional.ofNullable(screenHost(u))).orElse(null);
  }

  private static String screenHost(String url) {
    try {
      URI uri = new URI(url);
      return uri.getHost() == null || uri.getHost().length() > MAX_HOST ? null : host(uri);
    } catch (Exception e) {
      return null; // a referrer we cannot read is simply not kept
    }
  }

  /** An IP literal (bracketed: always IPv6) is only {@link FreeText#IP}; a name is screened ("192.0.2.1.nip.io"). */
  private static String host(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return host.startsWith("[") || FreeText.ipLiteral(host) ? FreeText.IP : FreeText.screen(host);
  }

  private static URI uri(String url, String field) {
    try {
      URI uri = new URI(url);
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getHost().length() <= MAX_HOST) {
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
