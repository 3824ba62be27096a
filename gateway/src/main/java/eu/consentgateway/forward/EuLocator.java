package eu.consentgateway.forward;

import eu.consentgateway.config.Cidr;
import eu.consentgateway.terminal.GeoIp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a forwarding destination's host is inside the EU (clause 13): every address the host
 * resolves to must geolocate to a member state; anything that cannot be shown to be in the EU is refused.
 */
public final class EuLocator {
  /** The decision, a human reason naming the host and where it is, and the countries found. */
  public record Verdict(boolean eu, String reason, List<String> countries) {
    public Verdict {
      countries = List.copyOf(countries);
    }
  }

  private final GeoIp geo;
  private final Function<String, Future<List<InetAddress>>> resolver;

  /** With a resolver of one's choosing, so tests need neither DNS nor network. */
  public EuLocator(Vertx vertx, GeoIp geo, Function<String, Future<List<InetAddress>>> resolver) {
    this.geo = geo;
    this.resolver = resolver;
  }

  /** With the system resolver, asked off the event loop since it blocks; A and AAAA records both count. */
  /** Changes when the GeoIP database is reloaded: verdicts taken before may no longer hold. */
  public int generation() {
    return geo.generation();
  }

  public static EuLocator withSystemResolver(Vertx vertx, GeoIp geo) {
    return new EuLocator(vertx, geo, host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false));
  }

  public Future<Verdict> check(String host) {
    if (host == null || host.isBlank()) {
      return Future.succeededFuture(new Verdict(false, "destination has no host", List.of()));
    }
    InetAddress literal = literal(host);
    Future<List<InetAddress>> addresses;
    try {
      addresses = literal != null ? Future.succeededFuture(List.of(literal)) : resolver.apply(host);
    } catch (RuntimeException e) {
      addresses = Future.failedFuture(e);
    }
    return addresses
        .map(list -> judge(host, list))
        .otherwise(e -> unresolved(host));
  }

  private Verdict judge(String host, List<InetAddress> addresses) {
    if (addresses == null || addresses.isEmpty()) {
      return unresolved(host);
    }
    Set<String> countries = new LinkedHashSet<>();
    List<String> places = new ArrayList<>();
    String refusal = null;
    for (InetAddress address : addresses) {
      // the full address: a server's address is not personal data, and truncating it could move it elsewhere
      GeoIp.Location where = geo.locate(address);
      String ip = address.getHostAddress();
      if (where.known()) {
        countries.add(where.country());
        places.add(ip + " in " + where.country());
      }
      if (refusal == null && !where.known()) {
        refusal = host + " resolves to " + ip + ", which cannot be located, so it is not shown to be in the EU";
      } else if (refusal == null && !where.eu()) {
        refusal = host + " resolves to " + ip + " in " + where.country() + ", outside the EU";
      }
    }
    List<String> found = List.copyOf(countries);
    return refusal != null ? new Verdict(false, refusal, found)
        : new Verdict(true, host + " resolves to " + String.join(", ", places) + ", inside the EU", found);
  }

  private static Verdict unresolved(String host) {
    return new Verdict(false, host + " does not resolve to any address", List.of());
  }

  private static InetAddress literal(String host) {
    try {
      return InetAddress.getByAddress(Cidr.literal(host));
    } catch (Exception e) {
      return null;
    }
  }
}
