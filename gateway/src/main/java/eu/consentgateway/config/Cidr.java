package eu.consentgateway.config;

import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}, used to trust proxies. */
public record Cidr(byte[] network, int prefix) {
  private static final Pattern DOTTED_QUAD = Pattern.compile(
      "([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

  public static Cidr parse(String text) {
    String[] parts = text.trim().split("/", 2);
    byte[] address = literal(parts[0]);
    int max = address.length * 8;
    int prefix = max;
    if (parts.length == 2) {
      prefix = Integer.parseInt(parts[1]);
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("prefix out of range: " + text);
      }
    }
    return new Cidr(address, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] other = address.getAddress();
    if (other.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (other[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (other[full] & mask) == (network[full] & mask);
  }

  /**
   * Parses an IP literal without ever resolving a host name: four decimal octets, or text with a colon that starts
   * with a hex digit or a colon, which the JDK reads as an IPv6 literal or refuses. Anything else ("1.2.3.4.5",
   * "g::1", "...") the JDK would look up as a name.
   */
  public static byte[] literal(String text) {
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    Matcher quad = DOTTED_QUAD.matcher(s);
    if (quad.matches()) {
      byte[] address = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(quad.group(i + 1));
        if (octet > 255) {
          throw new IllegalArgumentException("not an IP literal");
        }
        address[i] = (byte) octet;
      }
      return address;
    }
    if (s.indexOf(':') < 0 || !(s.charAt(0) == ':' || Character.digit(s.charAt(0), 16) >= 0 && s.charAt(0) < 0x80)) {
      throw new IllegalArgumentException("not an IP literal");
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (Exception e) {
      throw new IllegalArgumentException("not an IP literal");
    }
  }
}
