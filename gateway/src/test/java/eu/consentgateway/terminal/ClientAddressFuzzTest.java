package eu.consentgateway.terminal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import eu.consentgateway.config.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Address truncation and the reading of address text. A truncated address keeps at most 24 bits of an IPv4
 * address, also of one carried inside IPv6 (mapped, compatible, 6to4, Teredo, NAT64), and at most 48 bits of any
 * other IPv6 address. Address text (trusted proxies, {@code X-Forwarded-For}) is a literal or an
 * IllegalArgumentException, and never a host-name lookup. Seeds: {@code ClientAddressFuzzTestInputs}.
 */
class ClientAddressFuzzTest {
  private static final ClientAddress ADDRESSES = new ClientAddress(List.of(Cidr.parse("127.0.0.0/8"),
      Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128"), Cidr.parse("fd00::/8")));
  private static final List<String> PEERS = List.of("127.0.0.1", "10.1.2.3", "203.0.113.9", "::1", "2001:db8::7");
  private static final Pattern DOTTED_QUAD = Pattern.compile("(?:[0-9]{1,3}\\.){3}[0-9]{1,3}");

  @BeforeAll
  static void trapLookups() {
    NameLookups.install();
  }

  @AfterAll
  static void releaseLookups() {
    NameLookups.uninstall();
  }

  /** Byte 0 picks the form: 0 IPv4, 1 any IPv6, then IPv6 carrying an IPv4 one: 2 mapped ... 6 NAT64. */
  @FuzzTest
  void truncation(FuzzedDataProvider data) throws UnknownHostException {
    int form = data.consumeInt(0, 6);
    byte[] in = Arrays.copyOf(data.consumeBytes(16), form == 0 ? 4 : 16);
    switch (form) {
      case 2 -> { Arrays.fill(in, 0, 10, (byte) 0); in[10] = (byte) 0xff; in[11] = (byte) 0xff; }
      case 3 -> Arrays.fill(in, 0, 12, (byte) 0);
      case 4 -> { in[0] = 0x20; in[1] = 0x02; }
      case 5 -> { in[0] = 0x20; in[1] = 0x01; in[2] = 0; in[3] = 0; }
      case 6 -> { in[0] = 0; in[1] = 0x64; in[2] = (byte) 0xff; in[3] = (byte) 0x9b; Arrays.fill(in, 4, 12, (byte) 0); }
      default -> { }
    }
    InetAddress truncated = ClientAddress.truncate(InetAddress.getByAddress(in));
    byte[] out = truncated.getAddress();
    byte[] v4 = carriedIpv4(in);
    if (v4 != null) {
      assertArrayEquals(new byte[] {v4[0], v4[1], v4[2], 0}, out, "an IPv4 address keeps its /24");
    } else {
      byte[] kept = Arrays.copyOf(Arrays.copyOf(in, 6), 16);
      assertArrayEquals(kept, out, "an IPv6 address keeps its /48");
    }
    String prefix = ClientAddress.prefix(truncated);
    Cidr block = Cidr.parse(prefix);
    assertEquals(out.length == 4 ? 24 : 48, block.prefix(), prefix);
    assertArrayEquals(out, block.network(), "the stored prefix names the truncated address: " + prefix);
  }

  /** The IPv4 address an IPv6 one carries, by the RFCs that define each form; null when none. */
  private static byte[] carriedIpv4(byte[] a) {
    if (a.length == 4) {
      return a;
    }
    int[] b = new int[16];
    for (int i = 0; i < 16; i++) {
      b[i] = a[i] & 0xff;
    }
    boolean first80Zero = Arrays.stream(b, 0, 10).allMatch(x -> x == 0);
    if (first80Zero && b[10] == 0xff && b[11] == 0xff) {
      return Arrays.copyOfRange(a, 12, 16); // RFC 4291 IPv4-mapped
    }
    if (first80Zero && b[10] == 0 && b[11] == 0 && (b[12] | b[13]) != 0) {
      return Arrays.copyOfRange(a, 12, 16); // RFC 4291 IPv4-compatible (not ::/112: ::, ::1)
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return Arrays.copyOfRange(a, 2, 6); // RFC 3056 6to4: 2002:V4ADDR::/48
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
      byte[] client = Arrays.copyOfRange(a, 12, 16); // RFC 4380 Teredo: the client's address, inverted
      for (int i = 0; i < 4; i++) {
        client[i] ^= (byte) 0xff;
      }
      return client;
    }
    if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && Arrays.stream(b, 4, 12).allMatch(x -> x == 0)) {
      return Arrays.copyOfRange(a, 12, 16); // RFC 6052 well-known NAT64 prefix 64:ff9b::/96
    }
    return null;
  }

  /** Address text as an operator or a proxy writes it (UTF-8). */
  @FuzzTest
  void literal(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    byte[] address = NameLookups.none(text, () -> {
      try {
        return Cidr.literal(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
    });
    String s = text.trim();
    s = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (address != null) {
      assertTrue(address.length == 4 || address.length == 16, "4 or 16 bytes");
      assertTrue(DOTTED_QUAD.matcher(s).matches() || s.indexOf(':') >= 0,
          "only a dotted quad or an IPv6 literal is an address: " + NameLookups.printable(text));
    }
    if (DOTTED_QUAD.matcher(s).matches()) {
      int[] octets = Arrays.stream(s.split("\\.")).mapToInt(Integer::parseInt).toArray();
      if (Arrays.stream(octets).allMatch(o -> o <= 255)) {
        byte[] expected = new byte[4];
        for (int i = 0; i < 4; i++) {
          expected[i] = (byte) octets[i];
        }
        assertArrayEquals(expected, address, "a dotted quad is read as written: " + s);
      }
    }
    NameLookups.none(text, () -> {
      try {
        Cidr block = Cidr.parse(text);
        assertTrue(block.prefix() >= 0 && block.prefix() <= block.network().length * 8);
      } catch (IllegalArgumentException e) {
        // refused: the one way to fail
      }
      return null;
    });
  }

  /** Byte 0 picks the peer; the rest is the {@code X-Forwarded-For} value as the HTTP decoder reads it. */
  @FuzzTest
  void forwardedFor(byte[] input) throws UnknownHostException {
    InetAddress peer = InetAddress.getByName(PEERS.get(input.length == 0 ? 0 : (input[0] & 0xff) % PEERS.size()));
    String header = input.length == 0 ? null : new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
    InetAddress client = NameLookups.none(String.valueOf(header), () -> ADDRESSES.client(peer, header));
    assertEquals(expectedClient(peer, header), client);
    String prefix = ClientAddress.prefix(ClientAddress.truncate(client));
    assertTrue(prefix.endsWith("/24") || prefix.endsWith("/48"), prefix);
  }

  /** From the right, the first hop that is not a trusted proxy; the peer when it is not one itself. */
  private static InetAddress expectedClient(InetAddress peer, String header) {
    if (header == null || !trusted(peer)) {
      return peer;
    }
    InetAddress client = peer;
    String[] hops = header.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      InetAddress hop;
      try {
        hop = InetAddress.getByAddress(Cidr.literal(hops[i]));
      } catch (IllegalArgumentException | UnknownHostException e) {
        break;
      }
      client = hop;
      if (!trusted(hop)) {
        break;
      }
    }
    return client;
  }

  private static boolean trusted(InetAddress a) {
    return List.of("127.0.0.0/8", "10.0.0.0/8", "::1/128", "fd00::/8").stream()
        .anyMatch(c -> Cidr.parse(c).contains(a));
  }
}
