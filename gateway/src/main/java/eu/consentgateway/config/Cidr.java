package eu.consentgateway.config;

import java.net.InetAddress;

/** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}, used to trust proxies. */
public record Cidr(byte[] network, int prefix) {

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
    byte[] quad = dottedQuad(s);
    if (quad != null) {
      return quad;
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

  /**
   * Four groups of one to three decimal digits separated by dots, read by hand (every request reads one or two):
   * null when {@code s} is not of that form, refused when a group is over 255.
   */
  private static byte[] dottedQuad(String s) {
    byte[] address = new byte[4];
    int group = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9' && digits < 3) {
        value = value * 10 + (c - '0');
        digits++;
      } else if (c == '.' && digits > 0 && group < 4) {
        if (value > 255) {
          throw new IllegalArgumentException("not an IP literal");
        }
        address[group++] = (byte) value;
        digits = 0;
        value = 0;
      } else {
        return null;
      }
    }
    return group == 4 ? address : null;
  }
}
