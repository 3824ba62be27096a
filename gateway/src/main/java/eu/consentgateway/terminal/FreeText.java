package eu.consentgateway.terminal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Screens text a page sends (URL paths, event names, property values) before it is stored or forwarded: e-mail
 * addresses, IPv4 and IPv6 addresses, long digit runs (phone and card numbers) and opaque ids (UUIDs, long hex or
 * token-like path segments) are replaced by a placeholder, so what identifies a person never reaches a table, a
 * destination or a log. The placeholders are {@code :email}, {@code :ip}, {@code :number} and {@code :id}.
 */
public final class FreeText {
  public static final String EMAIL = ":email";
  public static final String IP = ":ip";
  public static final String NUMBER = ":number";
  public static final String ID = ":id";

  private static final Pattern EMAIL_ADDRESS = Pattern.compile(
      "[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");
  private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![0-9])");
  private static final Pattern IPV6 = Pattern.compile("(?i)(?<![0-9a-f:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}"
      + "|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?)(?![0-9a-f:])");
  /** IPv6 with an IPv4 tail (::ffff:a.b.c.d, 64:ff9b::a.b.c.d, ::a.b.c.d): one address, replaced whole. */
  private static final Pattern IPV6_V4 = Pattern.compile(
      "(?i)(?<![0-9a-f:])(?:[0-9a-f]{0,4}:){2,6}(?:\\d{1,3}\\.){3}\\d{1,3}(?![0-9])");
  /** Nine digits or more, possibly grouped by spaces, dots or dashes: phone and card numbers, not dates. */
  private static final Pattern DIGITS = Pattern.compile("(?<![0-9])\\+?\\d(?:[ .-]?\\d){8,}(?![0-9])");
  private static final Pattern UUID = Pattern.compile(
      "(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");
  private static final Pattern HEX_SEGMENT = Pattern.compile("(?i)[0-9a-f]{16,}");
  /** A long segment mixing letters and digits reads as a token or a session id, not as a page name. */
  private static final Pattern TOKEN_SEGMENT = Pattern.compile("(?=[A-Za-z0-9_-]*\\d)(?=[A-Za-z0-9_-]*[A-Za-z])"
      + "[A-Za-z0-9_-]{24,}");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}]");

  private FreeText() {
  }

  /**
   * A value as it may be stored: screened, without control characters. Screened again until nothing changes, since
   * a replacement can complete another match ("a@b.co@c.de" leaves "email@c.de", an IPv4 address glued to an IPv6
   * one frees it); every pass that changes the text shortens it or removes an '@', so this ends.
   */
  public static String screen(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String next = screenOnce(text); !next.equals(out); next = screenOnce(out)) {
      out = next;
    }
    return out;
  }

  /**
   * One pass of every pattern. A pattern runs only when the text has what any of its matches needs (an '@', a ':',
   * three dots and four digits, nine digits, 32 hex digits, a character outside printable ASCII), counted in one
   * scan: most paths and names have none of these and cost that scan only.
   */
  private static String screenOnce(String text) {
    boolean at = false;
    boolean colon = false;
    boolean notPrintableAscii = false;
    int dots = 0;
    int digits = 0;
    int hex = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        hex++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        hex++;
      } else if (c == '.') {
        dots++;
      } else if (c == '@') {
        at = true;
      } else if (c == ':') {
        colon = true;
      } else if (c < 0x20 || c >= 0x7f) {
        // controls, format characters and every non-ASCII letter or digit (which the patterns also read)
        notPrintableAscii = true;
      }
    }
    if (notPrintableAscii) {
      return screenAll(text);
    }
    String out = text;
    if (at) {
      out = EMAIL_ADDRESS.matcher(out).replaceAll(EMAIL);
    }
    if (hex >= 32) {
      out = UUID.matcher(out).replaceAll(ID);
    }
    if (colon) {
      out = replaceIpv6(out);
    }
    if (dots >= 3 && digits >= 4) {
      out = IPV4.matcher(out).replaceAll(IP);
    }
    return digits >= 9 ? DIGITS.matcher(out).replaceAll(NUMBER) : out;
  }

  private static String screenAll(String text) {
    String out = CONTROL.matcher(text).replaceAll("");
    out = EMAIL_ADDRESS.matcher(out).replaceAll(EMAIL);
    out = UUID.matcher(out).replaceAll(ID);
    out = replaceIpv6(out);
    out = IPV4.matcher(out).replaceAll(IP);
    return DIGITS.matcher(out).replaceAll(NUMBER);
  }

  /** A URL path, percent-decoded (see {@link #percentDecoded}), screened as text first, then segment by segment. */
  public static String path(String rawPath) {
    // control characters sent raw go before decoding: removed after it, they could join '%' to what follows
    String decoded = percentDecoded(CONTROL.matcher(rawPath).replaceAll(""));
    String[] segments = screen(decoded).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].length() >= 16
          && (HEX_SEGMENT.matcher(segments[i]).matches() || TOKEN_SEGMENT.matcher(segments[i]).matches())) {
        segments[i] = ID;
      }
    }
    String path = String.join("/", segments);
    return path.isEmpty() ? "/" : path;
  }

  /** Whether a host is an IP address literal (kept as {@link #IP} only). */
  public static boolean ipLiteral(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return IPV4.matcher(h).matches() || IPV6.matcher(h).matches() || IPV6_V4.matcher(h).matches();
  }

  private static String replaceIpv6(String text) {
    // first the forms ending in a dotted IPv4, which the plain IPv6 pattern would cut after its first octet
    String rest = text.indexOf('.') >= 0 ? IPV6_V4.matcher(text).replaceAll(IP) : text;
    Matcher m = IPV6.matcher(rest);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      // an address has two groups at least; "d::" of "std::vector" is a name
      boolean address = m.group().split(":+").length - (m.group().startsWith(":") ? 1 : 0) >= 2;
      m.appendReplacement(out, address ? IP : Matcher.quoteReplacement(m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Escapes decoded, run by run (a run of escapes holds whole UTF-8 characters: a character sent unescaped never
   * continues one); bytes that are not valid UTF-8 become U+FFFD. Every '%' of the result starts an escape, so
   * decoding it once gives the path read here and nothing else: a '%' sent alone or escaped is written %25, and
   * '#' and '?' (a fragment or a query) stay %23 and %3F. Escaped control and format characters go, as raw ones
   * did before (what they separated is then screened together).
   */
  private static String percentDecoded(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length() + 8);
    ByteBuffer run = ByteBuffer.allocate(raw.length() / 3 + 1);
    int i = 0;
    while (i < raw.length()) {
      if (!escapeAt(raw, i)) {
        char c = raw.charAt(i++);
        if (c == '%') {
          out.append("%25");
        } else {
          out.append(c);
        }
        continue;
      }
      run.clear();
      for (; escapeAt(raw, i); i += 3) {
        run.put((byte) Integer.parseInt(raw, i + 1, i + 3, 16));
      }
      run.flip();
      StandardCharsets.UTF_8.decode(run).codePoints().forEach(cp -> {
        int type = Character.getType(cp);
        if (cp == '%' || cp == '#' || cp == '?') {
          out.append('%').append(Character.toUpperCase(Character.forDigit(cp >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(cp & 0xf, 16)));
        } else if (type != Character.CONTROL && type != Character.FORMAT) {
          out.appendCodePoint(cp);
        }
      });
    }
    return out.toString();
  }

  private static boolean escapeAt(String s, int i) {
    return i + 2 < s.length() && s.charAt(i) == '%' && Character.digit(s.charAt(i + 1), 16) >= 0
        && Character.digit(s.charAt(i + 2), 16) >= 0;
  }
}
