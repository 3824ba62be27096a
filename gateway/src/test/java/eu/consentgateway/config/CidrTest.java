package eu.consentgateway.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** IP literals are read without name lookups: dotted quads by hand, IPv6 by the JDK once it is surely a literal. */
class CidrTest {
  @Test
  void dottedQuadsAreReadOctetByOctet() {
    assertArrayEquals(new byte[] {(byte) 203, 0, 113, 7}, Cidr.literal("203.0.113.7"));
    assertArrayEquals(new byte[] {10, 0, 0, 1}, Cidr.literal(" 010.000.0.1 "), "leading zeros are decimal");
    assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255}, Cidr.literal("255.255.255.255"));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, Cidr.literal("[1.2.3.4]"));
  }

  @Test
  void anythingElseWithoutAColonIsNotALiteral() {
    for (String bad : new String[] {"256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1234.1.1.1",
        "1.2.3.x", "", "localhost", "example.com", "1.2.3.-4", "١.٢.٣.٤"}) {
      assertThrows(IllegalArgumentException.class, () -> Cidr.literal(bad), bad);
    }
  }

  @Test
  void ipv6LiteralsAndBlocksStillWork() throws Exception {
    assertArrayEquals(InetAddress.getByName("2001:db8::1").getAddress(), Cidr.literal("2001:db8::1"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.literal("g::1"));
    Cidr block = Cidr.parse("192.0.2.0/24");
    assertTrue(block.contains(InetAddress.getByAddress(Cidr.literal("192.0.2.200"))));
    assertFalse(block.contains(InetAddress.getByAddress(Cidr.literal("192.0.3.1"))));
  }
}
