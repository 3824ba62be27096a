package eu.consentgateway.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A beacon body as any page (or attacker) may send it: a 4xx, or a beacon whose every field keeps the documented
 * bounds and carries no e-mail or IPv4 address. Any other exception is a finding. Seeds: {@code BeaconFuzzTestInputs}.
 */
class BeaconFuzzTest {
  // the screening patterns of FreeText: what must never be found in what is stored
  private static final Pattern EMAIL = Pattern.compile(
      "[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");
  private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![0-9])");
  private static final Pattern PROP_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,39}");
  /** Scheme, host (a DNS name is at most 253 characters, or the IP placeholder), optional port, then the path. */
  private static final Pattern PAGE = Pattern.compile("(https?)://([^/?#@\\s]{1,253}?)(:[0-9]{1,5})?(/[^#]{0,499})",
      Pattern.DOTALL);
  private static final Pattern ESCAPE = Pattern.compile("%([0-7][0-9A-Fa-f])");

  @FuzzTest
  void beacon(byte[] body) {
    Beacon beacon;
    try {
      beacon = Beacon.parse(Bodies.parseObject(Buffer.buffer(body)));
    } catch (ApiError e) {
      assertTrue(e.status() >= 400 && e.status() < 500, "a refusal is a 4xx: " + e.status());
      return;
    }
    stored("siteId", beacon.siteId());
    assertFalse(beacon.siteId().isBlank());
    assertTrue(beacon.siteId().length() <= 64);
    if (beacon.token() != null) {
      stored("token", beacon.token());
      assertTrue(beacon.token().length() <= 2048);
    }
    assertTrue(beacon.type().equals("pageview") || beacon.type().equals("event"), beacon.type());
    if (beacon.type().equals("event")) {
      assertNotNull(beacon.name(), "an event has a name");
    }
    if (beacon.name() != null) {
      screened("name", beacon.name());
      assertTrue(beacon.name().length() <= 120);
    }
    // a double escape (%2540) is text that reads "%40", not an e-mail address
    page(beacon.page(), !new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("%25"));
    if (beacon.referrerHost() != null) {
      screened("referrerHost", beacon.referrerHost());
    }
    if (beacon.props() != null) {
      props(beacon.props());
    }
    dimension(beacon.screenW());
    dimension(beacon.screenH());
    assertNotNull(beacon.eventId());
  }

  private static void page(String page, boolean singleEscapes) {
    screened("page", page);
    if (singleEscapes) {
      // an e-mail written with escapes (%40 for '@') is still one
      String decoded = asciiEscapesDecoded(page);
      assertFalse(EMAIL.matcher(decoded).find(), "page keeps an escaped e-mail address: " + page);
      assertFalse(IPV4.matcher(decoded).find(), "page keeps an escaped IPv4 address: " + page);
    }
    Matcher m = PAGE.matcher(page);
    assertTrue(m.matches(), "origin and path only: " + page);
    assertEquals(m.group(2).toLowerCase(), m.group(2), "the host is lower case");
  }

  private static void props(JsonObject props) {
    assertTrue(props.size() <= 20, "at most 20 properties");
    for (Map.Entry<String, Object> e : props) {
      assertTrue(PROP_KEY.matcher(e.getKey()).matches(), e.getKey());
      Object v = e.getValue();
      if (v instanceof String s) {
        screened("props." + e.getKey(), s);
        assertTrue(s.length() <= 200);
      } else if (v instanceof Number n) {
        assertTrue(Double.isFinite(n.doubleValue()), "a property number is finite: " + n);
        screened("props." + e.getKey(), n.toString());
      } else {
        assertTrue(v == null || v instanceof Boolean, "a property is a string, number, boolean or null: " + v);
      }
    }
    // what is stored as JSON reads back the same
    assertEquals(props, new JsonObject(props.encode()));
  }

  private static void dimension(Integer d) {
    assertTrue(d == null || (d >= 0 && d <= 20000), "screen dimension " + d);
  }

  /** Text PostgreSQL stores as given. */
  private static void stored(String field, String value) {
    assertTrue(Bodies.storable(value), field + " holds U+0000 or an unpaired surrogate");
  }

  private static void screened(String field, String value) {
    stored(field, value);
    assertFalse(EMAIL.matcher(value).find(), field + " keeps an e-mail address: " + value);
    assertFalse(IPV4.matcher(value).find(), field + " keeps an IPv4 address: " + value);
  }

  private static String asciiEscapesDecoded(String s) {
    return ESCAPE.matcher(s).replaceAll(r -> Matcher.quoteReplacement(
        Character.toString((char) Integer.parseInt(r.group(1), 16))));
  }
}
