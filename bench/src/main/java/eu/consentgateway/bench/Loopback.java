package eu.consentgateway.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The bench only ever talks to this machine: any other host is refused before a socket opens. */
final class Loopback {
  private Loopback() {
  }

  static void require(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      for (InetAddress a : InetAddress.getAllByName(h)) {
        if (!a.isLoopbackAddress()) {
          throw new Args.Invalid("host '" + host + "' is not a loopback address; the bench only targets loopback");
        }
      }
    } catch (UnknownHostException e) {
      throw new Args.Invalid("unknown host '" + host + "'");
    }
  }
}
