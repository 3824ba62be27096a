package eu.consentgateway.terminal;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;

/** Placeholder until the MaxMind-backed implementation lands: every address is "unknown". */
public final class GeoIp {
  public record Location(String country, boolean eu, String region, String city) {
    public static final Location UNKNOWN = new Location(null, false, null, null);
  }

  public static GeoIp open(Vertx vertx, Optional<Path> db) {
    return new GeoIp();
  }

  public Location locate(InetAddress address) {
    return Location.UNKNOWN;
  }

  public void close() {
  }
}
