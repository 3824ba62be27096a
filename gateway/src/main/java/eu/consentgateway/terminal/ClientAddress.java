package eu.consentgateway.terminal;

import eu.consentgateway.config.Cidr;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.util.List;

/**
 * The visitor's address, truncated at once (IPv4 to /24, IPv6 to /48) so that a full address never
 * reaches a store, a log or another class. {@code X-Forwarded-For} is believed only from trusted proxies.
 */
public final class ClientAddress {
  private static final String PREFIX_KEY = "cg.clientPrefix";
  private static final String TRUNCATED_KEY = "cg.clientTruncated";
  private static final String UNKNOWN = "unknown";
  private final List<Cidr> trustedProxies;

  public ClientAddress(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /** The truncated client address, or null when it cannot be read; worked out once per request. */
  public InetAddress truncated(RoutingContext ctx) {
    java.util.Optional<InetAddress> known = ctx.get(TRUNCATED_KEY);
    if (known == null) {
      known = java.util.Optional.ofNullable(truncatedOnce(ctx));
      ctx.put(TRUNCATED_KEY, known);
    }
    return known.orElse(null);
  }

  private InetAddress truncatedOnce(RoutingContext ctx) {
    InetAddress peer = parse(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress());
    if (peer == null) {
      return null;
    }
    return truncate(client(peer, ctx.request().getHeader("X-Forwarded-For")));
  }

  /** The client behind {@code peer}: the peer itself unless it is a trusted proxy that forwarded for someone. */
  InetAddress client(InetAddress peer, String forwarded) {
    InetAddress client = peer;
    if (forwarded != null && trusted(peer)) {
      // walk from the right: the first hop that is not one of our proxies is the client
      String[] hops = forwarded.split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        InetAddress hop = parse(hops[i]);
        if (hop == null) {
          break;
        }
        client = hop;
        if (!trusted(hop)) {
          break;
        }
      }
    }
    return client;
  }

  /**
   * The stored form of the client's truncated address ({@link #prefix}), worked out once per request: rate
   * limits, consent proof and geography all read it.
   */
  public String prefixOf(RoutingContext ctx) {
    String known = ctx.get(PREFIX_KEY);
    if (known == null) {
      String p = prefix(truncated(ctx));
      known = p == null ? UNKNOWN : p;
      ctx.put(PREFIX_KEY, known);
    }
    return UNKNOWN.equals(known) ? null : known;
  }

  private boolean trusted(InetAddress address) {
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * IPv4 to its /24, IPv6 to its /48; an IPv6 address that carries an IPv4 one (IPv4-mapped or -compatible,
   * 6to4, Teredo, NAT64) is reduced to that IPv4's /24, since its /48 would keep the whole IPv4 address.
   */
  public static InetAddress truncate(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      byte[] v4 = embeddedIpv4(bytes);
      if (v4 != null) {
        bytes = v4;
      }
    }
    int keep = bytes.length == 4 ? 3 : 6;
    for (int i = keep; i < bytes.length; i++) {
      bytes[i] = 0;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The IPv4 address inside an IPv6 one, or null when there is none. */
  static byte[] embeddedIpv4(byte[] b) {
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) { // ::ffff:a.b.c.d (mapped)
      return java.util.Arrays.copyOfRange(b, 12, 16);
    }
    if (zero(b, 0, 12) && (b[12] != 0 || b[13] != 0)) { // ::a.b.c.d (compatible; ::1 and :: are not)
      return java.util.Arrays.copyOfRange(b, 12, 16);
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 2002:aabb:ccdd::/16 (6to4)
      return java.util.Arrays.copyOfRange(b, 2, 6);
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) { // 2001::/32 (Teredo)
      byte[] client = java.util.Arrays.copyOfRange(b, 12, 16); // the client's address, bits inverted
      for (int i = 0; i < 4; i++) {
        client[i] = (byte) ~client[i];
      }
      return client;
    }
    if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
        && zero(b, 4, 12)) { // 64:ff9b::/96 (NAT64)
      return java.util.Arrays.copyOfRange(b, 12, 16);
    }
    return null;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The stored form: {@code 203.0.113.0/24} or {@code 2001:db8:1::/48}. */
  public static String prefix(InetAddress truncated) {
    if (truncated == null) {
      return null;
    }
    byte[] b = truncated.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
    }
    return String.format("%x:%x:%x::/48", ((b[0] & 0xff) << 8) | (b[1] & 0xff), ((b[2] & 0xff) << 8) | (b[3] & 0xff),
        ((b[4] & 0xff) << 8) | (b[5] & 0xff));
  }

  private static InetAddress parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(Cidr.literal(text));
    } catch (Exception e) {
      return null;
    }
  }
}
