package eu.consentgateway.site;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds {@link Site} values from their stored JSON and renders the public configuration. */
public final class Sites {
  private Sites() {
  }

  static Site fromStored(String siteId, JsonObject config, java.util.Set<String> acceptedVersions,
      Instant renewAfter, String substantialChange) {
    List<Purpose> purposes = new ArrayList<>();
    for (Object o : config.getJsonArray("purposes")) {
      JsonObject p = (JsonObject) o;
      purposes.add(new Purpose(p.getString("id"), p.getBoolean("required"), p.getBoolean("gpc"),
          stringMap(p.getJsonObject("labels")), stringMap(p.getJsonObject("descriptions")),
          strings(p.getJsonArray("cookies")), strings(p.getJsonArray("consentMode"))));
    }
    List<String> locales = strings(config.getJsonArray("locales"));
    JsonObject policy = config.getJsonObject("policy");
    Map<String, String> hashes = new HashMap<>();
    for (String locale : locales) {
      hashes.put(locale, textHash(policy.getString("version"), purposes, config.getJsonObject("texts"), locale));
    }
    JsonObject widget = config.getJsonObject("widget", new JsonObject());
    java.util.Set<String> accepted = new java.util.HashSet<>(acceptedVersions);
    accepted.add(policy.getString("version"));
    return new Site(siteId, config.getString("name"), strings(config.getJsonArray("origins")),
        policy.getString("version"), policy.getString("url"), java.util.Set.copyOf(accepted), renewAfter,
        List.copyOf(purposes), locales, config.getJsonObject("texts"), config.getJsonArray("destinations"),
        Map.copyOf(hashes), java.time.ZoneId.of(config.getString("timeZone", SiteValidator.DEFAULT_TIME_ZONE)),
        config.getInteger("k", SiteValidator.DEFAULT_K),
        new Site.Widget(widget.getBoolean("floatingButton", false), widget.getInteger("repromptAfterRefusalDays")),
        substantialChange, config.getBoolean("notifyAccountsOfPolicyChanges", false), config);
  }

  /**
   * The banner text version recorded with each consent: a hash over every text shown in that locale
   * (purpose labels and descriptions, text overrides) and the policy version, canonically ordered.
   */
  static String textHash(String policyVersion, List<Purpose> purposes, JsonObject texts, String locale) {
    StringBuilder canonical = new StringBuilder(policyVersion).append('\n').append(locale).append('\n');
    for (Purpose p : purposes) {
      canonical.append(p.id()).append('\u0000').append(p.labels().getOrDefault(locale, ""))
          .append('\u0000').append(p.descriptions().getOrDefault(locale, "")).append('\n');
    }
    JsonObject localeTexts = texts.getJsonObject(locale, new JsonObject());
    new TreeMap<>(localeTexts.getMap()).forEach((k, v) -> canonical.append(k).append('\u0000').append(v).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 400 unless {@code siteId} is a well-formed site id. */
  public static void requireWellFormedId(String siteId) {
    SiteValidator.siteId(siteId);
  }

  /** What the widget needs; nothing secret, nothing about destinations. */
  public static JsonObject publicConfig(Site site, String publicUrl) {
    JsonArray purposes = new JsonArray();
    JsonObject consentMode = new JsonObject();
    for (Purpose p : site.purposes()) {
      purposes.add(p.toJson());
      if (!p.consentMode().isEmpty()) {
        consentMode.put(p.id(), new JsonArray(p.consentMode()));
      }
    }
    JsonObject policy = new JsonObject().put("version", site.policyVersion());
    if (site.policyUrl() != null) {
      policy.put("url", site.policyUrl());
    }
    return new JsonObject()
        .put("siteId", site.id())
        .put("name", site.name())
        .put("policy", policy)
        .put("locales", new JsonArray(site.locales()))
        .put("purposes", purposes)
        .put("texts", site.texts())
        .put("textHash", new JsonObject(new HashMap<>(site.textHashes())))
        .put("consentMode", consentMode)
        .put("widget", site.widget().toJson())
        .put("preferencesUrl", publicUrl + "/preferences?site=" + site.id());
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> out.add((String) o));
    }
    return List.copyOf(out);
  }

  private static Map<String, String> stringMap(JsonObject object) {
    Map<String, String> out = new HashMap<>();
    if (object != null) {
      object.forEach(e -> out.put(e.getKey(), (String) e.getValue()));
    }
    return Map.copyOf(out);
  }
}
