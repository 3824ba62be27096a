package eu.consentgateway.site;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks an operator's site document and returns it normalised; every refusal names the field. */
final class SiteValidator {
  static final Pattern SITE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final Pattern PURPOSE_ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  static final Pattern LOCALE = Pattern.compile("[a-z]{2}(-[A-Z]{2})?");
  static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern TEXT_KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,39}");
  private static final Pattern COOKIE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
  private static final Set<String> CONSENT_MODE_TYPES = Set.of("ad_storage", "analytics_storage",
      "ad_user_data", "ad_personalization", "functionality_storage", "personalization_storage",
      "security_storage");
  private static final Set<String> GPC_BY_DEFAULT = Set.of("prospecting", "advertising", "marketing",
      "personalisation", "personalization", "ads");
  private static final Map<String, List<String>> CONSENT_MODE_BY_DEFAULT = Map.of(
      "statistics", List.of("analytics_storage"),
      "prospecting", List.of("ad_storage", "ad_user_data", "ad_personalization"),
      "advertising", List.of("ad_storage", "ad_user_data", "ad_personalization"),
      "marketing", List.of("ad_storage", "ad_user_data", "ad_personalization"),
      "personalisation", List.of("personalization_storage"));

  static final String DEFAULT_TIME_ZONE = "Europe/Paris";
  static final int DEFAULT_K = 5;
  static final int MIN_K = 2;

  private SiteValidator() {
  }

  static void siteId(String siteId) {
    if (siteId == null || !SITE_ID.matcher(siteId).matches()) {
      throw ApiError.badRequest("invalid_site_id", "site id must match " + SITE_ID.pattern());
    }
  }

  static String version(String v) {
    if (v == null || !VERSION.matcher(v).matches()) {
      throw ApiError.badRequest("invalid_policy_version", "policy version must match " + VERSION.pattern());
    }
    return v;
  }

  static JsonObject normalise(String siteId, JsonObject in) {
    siteId(siteId);
    JsonObject out = new JsonObject();
    String name = Bodies.string(in, "name", false, 200);
    out.put("name", name == null || name.isBlank() ? siteId : name);
    out.put("origins", origins(Bodies.array(in, "origins", true)));
    JsonObject policy = Bodies.object(in, "policy", true);
    JsonObject normalisedPolicy = new JsonObject().put("version", version(Bodies.string(policy, "version", true, 64)));
    String url = Bodies.string(policy, "url", false, 2000);
    if (url != null) {
      normalisedPolicy.put("url", httpUrl("policy.url", url));
    }
    out.put("policy", normalisedPolicy);
    List<String> locales = locales(Bodies.array(in, "locales", false));
    out.put("locales", new JsonArray(locales));
    out.put("purposes", purposes(Bodies.array(in, "purposes", false)));
    JsonObject texts = Bodies.object(in, "texts", false);
    out.put("texts", texts(texts == null ? new JsonObject() : texts));
    JsonArray destinations = Bodies.array(in, "destinations", false);
    out.put("destinations", destinations == null ? new JsonArray() : destinations.copy());
    out.put("timeZone", timeZone(Bodies.string(in, "timeZone", false, 64)));
    out.put("k", k(in.getValue("k")));
    out.put("widget", widget(Bodies.object(in, "widget", false)));
    Boolean notify = Bodies.bool(in, "notifyAccountsOfPolicyChanges");
    out.put("notifyAccountsOfPolicyChanges", notify != null && notify);
    return out;
  }

  /** A zone of the tz database by its region name ("Europe/Paris"); fixed offsets and abbreviations are not. */
  static String timeZone(String zone) {
    if (zone == null) {
      return DEFAULT_TIME_ZONE;
    }
    if (!java.time.ZoneId.getAvailableZoneIds().contains(zone)) {
      throw ApiError.badRequest("invalid_time_zone", "'timeZone' must be a zone of the tz database, such as "
          + "Europe/Paris");
    }
    return zone;
  }

  private static int k(Object value) {
    if (value == null) {
      return DEFAULT_K;
    }
    if (!(value instanceof Integer k) || k < MIN_K || k > 1000) {
      throw ApiError.badRequest("invalid_k", "'k' (anonymity threshold) must be a whole number from " + MIN_K
          + " to 1000");
    }
    return k;
  }

  /** The banner's behaviour; a site created or replaced without it gets the floating button. */
  private static JsonObject widget(JsonObject in) {
    JsonObject out = new JsonObject().put("floatingButton", true).putNull("repromptAfterRefusalDays");
    if (in == null) {
      return out;
    }
    for (String key : in.fieldNames()) {
      if (!key.equals("floatingButton") && !key.equals("repromptAfterRefusalDays")) {
        throw ApiError.badRequest("invalid_field", "'widget' has no setting '" + SiteRegistry.safe(key) + "'");
      }
    }
    Boolean floating = Bodies.bool(in, "floatingButton");
    if (floating != null) {
      out.put("floatingButton", floating);
    }
    Object days = in.getValue("repromptAfterRefusalDays");
    if (days != null) {
      if (!(days instanceof Integer d) || d < 1 || d > 396) {
        throw ApiError.badRequest("invalid_field",
            "'widget.repromptAfterRefusalDays' must be a whole number of days from 1 to 396 (13 months)");
      }
      out.put("repromptAfterRefusalDays", d);
    }
    return out;
  }

  private static JsonArray origins(JsonArray origins) {
    if (origins.isEmpty() || origins.size() > 50) {
      throw ApiError.badRequest("invalid_origins", "'origins' must list 1 to 50 origins");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : origins) {
      if (!(o instanceof String s)) {
        throw ApiError.badRequest("invalid_origins", "each origin must be a string");
      }
      out.add(origin(s));
    }
    return new JsonArray(List.copyOf(out));
  }

  /** An origin is scheme://host[:port] with no path, query, fragment or credentials. */
  static String origin(String s) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (Exception e) {
      throw ApiError.badRequest("invalid_origins", "not an origin: " + s);
    }
    String scheme = uri.getScheme();
    boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty();
    if (!("https".equals(scheme) || "http".equals(scheme)) || uri.getHost() == null || !noPath
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw ApiError.badRequest("invalid_origins",
          "not an absolute http(s) origin (scheme://host[:port], no path): " + s);
    }
    return scheme + "://" + uri.getHost().toLowerCase() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  static String httpUrl(String field, String s) {
    try {
      URI uri = new URI(s);
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
        return s;
      }
    } catch (Exception e) {
      // refused below
    }
    throw ApiError.badRequest("invalid_field", "'" + field + "' must be an absolute http(s) URL");
  }

  private static List<String> locales(JsonArray locales) {
    if (locales == null || locales.isEmpty()) {
      return List.of("fr", "en");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : locales) {
      if (!(o instanceof String s) || !LOCALE.matcher(s).matches()) {
        throw ApiError.badRequest("invalid_locale", "each locale must match " + LOCALE.pattern() + ": " + o);
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  private static JsonArray purposes(JsonArray purposes) {
    JsonArray out = new JsonArray();
    Set<String> seen = new LinkedHashSet<>();
    boolean hasNecessary = false;
    for (Object o : purposes == null ? new JsonArray() : purposes) {
      if (!(o instanceof JsonObject p)) {
        throw ApiError.badRequest("invalid_purpose", "each purpose must be an object");
      }
      String id = Bodies.string(p, "id", true, 32);
      if (!PURPOSE_ID.matcher(id).matches()) {
        throw ApiError.badRequest("invalid_purpose", "purpose id must match " + PURPOSE_ID.pattern() + ": " + id);
      }
      if (!seen.add(id)) {
        throw ApiError.badRequest("invalid_purpose", "purpose listed twice: " + id);
      }
      boolean necessary = Purpose.NECESSARY.equals(id);
      hasNecessary |= necessary;
      Boolean gpc = Bodies.bool(p, "gpc");
      out.add(new JsonObject()
          .put("id", id)
          .put("required", necessary)
          .put("gpc", !necessary && (gpc != null ? gpc : GPC_BY_DEFAULT.contains(id)))
          .put("labels", strings(p, "labels"))
          .put("descriptions", strings(p, "descriptions"))
          .put("cookies", cookies(Bodies.array(p, "cookies", false)))
          .put("consentMode", consentMode(id, Bodies.array(p, "consentMode", false))));
    }
    if (!hasNecessary) {
      out.getList().add(0, new JsonObject().put("id", Purpose.NECESSARY).put("required", true).put("gpc", false)
          .put("labels", new JsonObject().put("en", "Strictly necessary").put("fr", "Strictement nécessaires"))
          .put("descriptions", new JsonObject()
              .put("en", "Needed for the site to work and to remember your choice.")
              .put("fr", "Indispensables au fonctionnement du site et à la mémorisation de votre choix."))
          .put("cookies", new JsonArray()).put("consentMode", new JsonArray()));
    }
    if (out.size() > 32) {
      throw ApiError.badRequest("invalid_purpose", "at most 32 purposes");
    }
    return out;
  }

  private static JsonObject strings(JsonObject p, String field) {
    JsonObject in = Bodies.object(p, field, false);
    JsonObject out = new JsonObject();
    if (in == null) {
      return out;
    }
    for (String locale : in.fieldNames()) {
      if (!LOCALE.matcher(locale).matches()) {
        throw ApiError.badRequest("invalid_locale", "'" + field + "' key is not a locale: " + locale);
      }
      out.put(locale, Bodies.string(in, locale, true, 2000));
    }
    return out;
  }

  private static JsonArray cookies(JsonArray cookies) {
    JsonArray out = new JsonArray();
    for (Object o : cookies == null ? new JsonArray() : cookies) {
      if (!(o instanceof String s) || !COOKIE.matcher(s).matches()) {
        throw ApiError.badRequest("invalid_purpose", "not a cookie name: " + o);
      }
      out.add(s);
    }
    return out;
  }

  private static JsonArray consentMode(String id, JsonArray types) {
    if (types == null) {
      return new JsonArray(CONSENT_MODE_BY_DEFAULT.getOrDefault(id, List.of()));
    }
    for (Object o : types) {
      if (!(o instanceof String s) || !CONSENT_MODE_TYPES.contains(s)) {
        throw ApiError.badRequest("invalid_purpose", "unknown consent mode type: " + o);
      }
    }
    return types.copy();
  }

  private static JsonObject texts(JsonObject texts) {
    JsonObject out = new JsonObject();
    for (String locale : texts.fieldNames()) {
      if (!LOCALE.matcher(locale).matches()) {
        throw ApiError.badRequest("invalid_locale", "'texts' key is not a locale: " + locale);
      }
      JsonObject entries = Bodies.object(texts, locale, true);
      JsonObject normalised = new JsonObject();
      for (String key : entries.fieldNames()) {
        if (!TEXT_KEY.matcher(key).matches()) {
          throw ApiError.badRequest("invalid_field", "not a text key: " + key);
        }
        normalised.put(key, Bodies.string(entries, key, true, 2000));
      }
      out.put(locale, normalised);
    }
    return out;
  }
}
