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
  private final List<Cidr> trustedProxies;

  public ClientAddress(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /** The truncated client address, or null when it cannot be read. */
  public InetAddress truncated(RoutingContext ctx) {
    InetAddress peer = parse(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress());
    if (peer == null) {
      return null;
    }
    InetAddress client = peer;
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
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
    return truncate(client);
  }

  private boolean trusted(InetAddress address) {
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  public static InetAddress truncate(InetAddress address) {
    byte[] bytes = address.getAddress();
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
