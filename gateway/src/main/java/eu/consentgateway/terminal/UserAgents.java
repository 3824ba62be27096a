package eu.consentgateway.terminal;

import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * User-agent parsing with uap-java behind a bounded cache: an uncached parse costs most of a millisecond,
 * and real traffic repeats a few hundred distinct user agents.
 */
public final class UserAgents {
  /** What the gateway keeps of a user agent: families and major versions, never the raw string. */
  public record Parsed(String browser, String browserMajor, String os, String osMajor, String device) {
  }

  private static final int MAX_LENGTH = 512;
  private final Parser parser = new Parser();
  private final Cache<String, Parsed> cache = Caches.builder().maximumSize(20_000).build();

  public Parsed parse(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return new Parsed("Other", null, "Other", null, "Other");
    }
    String key = userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent;
    return cache.get(key, this::uncached);
  }

  private Parsed uncached(String userAgent) {
    Client c = parser.parse(userAgent);
    return new Parsed(family(c.userAgent.family), major(c.userAgent.major), family(c.os.family), major(c.os.major),
        family(c.device.family));
  }

  /** Generic patterns copy words of the user agent into families (bot names, device models): screen and bound. */
  private static String family(String family) {
    if (family == null || family.isBlank()) {
      return "Other";
    }
    String screened = FreeText.screen(family);
    return screened.length() > 64 ? screened.substring(0, 64) : screened;
  }

  private static String major(String major) {
    return major != null && major.length() <= 10 && major.chars().allMatch(Character::isDigit) ? major : null;
  }
}
