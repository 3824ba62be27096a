package eu.consentgateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * What makes synthetic visitors look like a real audience: a mix of current browser user agents and a pool
 * of distinct public client addresses (IPv4 and some IPv6) sent through X-Forwarded-For.
 */
final class Traffic {
  static final List<String> USER_AGENTS = userAgents();

  static final List<String> REFERRERS = List.of("", "", "https://www.google.com/", "https://www.google.fr/",
      "https://www.bing.com/", "https://duckduckgo.com/", "https://www.qwant.com/", "https://shop.example/",
      "https://shop.example/c/shoes", "https://shop.example/search?q=boots", "https://l.facebook.com/",
      "https://t.co/", "https://www.instagram.com/", "https://news.example.org/article/42");

  static final int[][] SCREENS = {{1920, 1080}, {1920, 1080}, {1536, 864}, {1366, 768}, {1440, 900},
      {2560, 1440}, {1280, 720}, {390, 844}, {393, 873}, {414, 896}, {360, 800}, {412, 915}, {375, 667},
      {820, 1180}, {768, 1024}};

  // first octets of blocks allocated to European and other public networks; no private, loopback or reserved
  private static final int[] PUBLIC_FIRST_OCTETS = {2, 5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86,
      87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 141, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217};
  private static final int[] IPV6_PREFIXES = {0x2a01, 0x2a02, 0x2a03, 0x2a04, 0x2001, 0x2a00, 0x2a0a};

  private Traffic() {
  }

  private static List<String> userAgents() {
    try (InputStream in = Traffic.class.getResourceAsStream("/user-agents.txt")) {
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.strip());
        }
      }
      return List.copyOf(out);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("user-agents.txt is missing from the bench jar", e);
    }
  }

  /** {@code count} distinct public addresses, about one in eight IPv6; the same seed gives the same pool. */
  static List<String> addresses(int count, long seed) {
    Random rnd = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < count) {
      if (rnd.nextInt(8) == 0) {
        out.add(String.format("%x:%x:%x:%x::%x", IPV6_PREFIXES[rnd.nextInt(IPV6_PREFIXES.length)],
            0x100 + rnd.nextInt(0xfe00), rnd.nextInt(0x10000), rnd.nextInt(0x10000), 1 + rnd.nextInt(0xfffe)));
      } else {
        out.add(PUBLIC_FIRST_OCTETS[rnd.nextInt(PUBLIC_FIRST_OCTETS.length)] + "." + rnd.nextInt(256) + "."
            + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254)));
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * An event id as the widget makes it (consent-widget/src/utils/uuid.js): a version-7 UUID carrying the minute,
   * from a fast random source (the JDK's own uses SecureRandom).
   */
  static String eventId(Random rnd, long nowMillis) {
    long hi = (nowMillis / 60_000 * 60_000) << 16 | 0x7000L | (rnd.nextInt() & 0x0fffL);
    long lo = (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }
}
