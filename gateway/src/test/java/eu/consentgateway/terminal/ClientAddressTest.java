package eu.consentgateway.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  static String stored(String address) throws Exception {
    return ClientAddress.prefix(ClientAddress.truncate(InetAddress.getByName(address)));
  }

  @Test
  void ipv4KeepsItsSlash24AndIpv6ItsSlash48() throws Exception {
    assertEquals("203.0.113.0/24", stored("203.0.113.77"));
    assertEquals("2001:db8:1::/48", stored("2001:db8:1:2:3:4:5:6"));
  }

  @Test
  void anEmbeddedIpv4IsReducedToItsSlash24() throws Exception {
    assertEquals("198.51.100.0/24", stored("2002:c633:6417:abcd::1"), "6to4");
    assertEquals("198.51.100.0/24", stored("2001:0:4136:e378:8000:63bf:39cc:9ba6"), "Teredo (client bits inverted)");
    assertEquals("198.51.100.0/24", stored("64:ff9b::c633:6442"), "NAT64");
    assertEquals("198.51.100.0/24", stored("::ffff:198.51.100.61"), "IPv4-mapped");
    assertEquals("198.51.100.0/24", stored("::198.51.100.61"), "IPv4-compatible");
    assertEquals("0:0:0::/48", stored("::1"), "loopback is not an embedded address");
  }
}
