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

  /** Parses an IP literal without ever resolving a host name. */
  public static byte[] literal(String text) {
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.isEmpty() || !(s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
      throw new IllegalArgumentException("not an IP literal");
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (Exception e) {
      throw new IllegalArgumentException("not an IP literal");
    }
  }
}
