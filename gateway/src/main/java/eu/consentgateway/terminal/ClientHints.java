package eu.consentgateway.terminal;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User-agent client hints ({@code Sec-CH-UA*}) reduced to values of known lists: a brand the gateway knows
 * and its major version, a platform name, a mobile flag. Anything else in those headers is ignored, so they
 * cannot carry free text into the terminal data.
 */
public final class ClientHints {
  private static final int MAX_HEADER = 512;
  private static final Pattern BRAND = Pattern.compile("\"([A-Za-z ]{1,40})\";\\s*v=\"(\\d{1,5})(?:[.\\d]{0,20})\"");
  private static final Map<String, String> BRANDS = Map.of(
      "Google Chrome", "Chrome", "Microsoft Edge", "Edge", "Opera", "Opera", "Brave", "Brave",
      "Vivaldi", "Vivaldi", "Samsung Internet", "Samsung Internet", "YaBrowser", "Yandex Browser",
      "Opera GX", "Opera", "DuckDuckGo", "DuckDuckGo");
  private static final Set<String> PLATFORMS = Set.of("Windows", "macOS", "Linux", "Android", "iOS",
      "Chrome OS", "Chromium OS", "Fuchsia");

  /** A brand and its major version, both from the known lists. */
  public record Brand(String name, String major) {
  }

  private ClientHints() {
  }

  /** The first known brand of {@code Sec-CH-UA}, or null. */
  public static Brand brand(String header) {
    if (header == null || header.length() > MAX_HEADER) {
      return null;
    }
    Matcher m = BRAND.matcher(header);
    while (m.find()) {
      String known = BRANDS.get(m.group(1));
      if (known != null) {
        return new Brand(known, m.group(2));
      }
    }
    return null;
  }

  /** {@code Sec-CH-UA-Platform} when it names a known platform, or null. */
  public static String platform(String header) {
    if (header == null || header.length() > 40) {
      return null;
    }
    String t = header.trim();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return PLATFORMS.contains(t) ? t : null;
  }

  /** {@code Sec-CH-UA-Mobile}: {@code ?1} or {@code ?0}; anything else is unknown (null). */
  public static Boolean mobile(String header) {
    if (header == null) {
      return null;
    }
    return switch (header.trim()) {
      case "?1" -> Boolean.TRUE;
      case "?0" -> Boolean.FALSE;
      default -> null;
    };
  }
}
