package eu.consentgateway.support;

import eu.consentgateway.config.Cidr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB files (format 2.0, IPv6 tree with IPv4 at ::/96) so tests can build the GeoIP data
 * they need instead of shipping databases.
 *
 * <p>Values map to MaxMind types by Java type: String → utf8_string, Boolean → boolean, Integer → uint16,
 * Long → uint32, BigInteger → uint64, Double → double, Map → map, List → array.
 */
public final class MmdbWriter {
  private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
      'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
  private static final int DATA_SEPARATOR = 16;

  /** A tree node; each child is another Node, a data value, or null for "no data". */
  private static final class Node {
    final Object[] child = new Object[2];
  }

  private final Node root = new Node();
  private String databaseType = "GeoIP2-City";
  private int recordSize;

  /**
   * A City database holding MaxMind's own test networks: 89.160.20.0/24 Linköping (SE, EU), 216.160.83.0/24
   * Milton (US) and 2a02:cfc0::/29 (FR, EU, country only).
   */
  public static MmdbWriter sampleCities() {
    return new MmdbWriter()
        .add("89.160.20.0/24", city("SE", true, "E", "Linköping"))
        .add("216.160.83.0/24", city("US", false, "WA", "Milton"))
        .add("2a02:cfc0::/29", country("FR", true));
  }

  /** A GeoIP2 City record: country (names.en is the code), one subdivision, a city name in English. */
  public static Map<String, Object> city(String country, boolean eu, String subdivision, String city) {
    Map<String, Object> data = new LinkedHashMap<>(country(country, eu));
    data.put("subdivisions", List.of(Map.of("iso_code", subdivision, "names", Map.of("en", subdivision))));
    data.put("city", Map.of("names", Map.of("en", city)));
    return data;
  }

  /** A GeoIP2 Country record; like MaxMind's files, is_in_european_union is written only when true. */
  public static Map<String, Object> country(String isoCode, boolean eu) {
    Map<String, Object> country = new LinkedHashMap<>();
    country.put("iso_code", isoCode);
    country.put("names", Map.of("en", isoCode));
    if (eu) {
      country.put("is_in_european_union", true);
    }
    return Map.of("country", country, "registered_country", country);
  }

  public MmdbWriter databaseType(String type) {
    this.databaseType = type;
    return this;
  }

  /** Forces 24-, 28- or 32-bit records; by default the smallest that fits. */
  public MmdbWriter recordSize(int bits) {
    if (bits != 24 && bits != 28 && bits != 32) {
      throw new IllegalArgumentException("record size must be 24, 28 or 32");
    }
    this.recordSize = bits;
    return this;
  }

  /** Maps a network ({@code 89.160.20.0/24}, {@code 2a02:cfc0::/29}) to data; a later add wins where they overlap. */
  public MmdbWriter add(String network, Object data) {
    Cidr cidr = Cidr.parse(network);
    byte[] address = new byte[16];
    int offset = 16 - cidr.network().length;
    System.arraycopy(cidr.network(), 0, address, offset, cidr.network().length);
    int prefix = cidr.prefix() + offset * 8;
    if (prefix == 0) {
      throw new IllegalArgumentException("a network must have a prefix: " + network);
    }
    Node node = root;
    for (int i = 0; i < prefix - 1; i++) {
      int bit = bit(address, i);
      if (!(node.child[bit] instanceof Node)) {
        // a wider network already ends here: split it, keeping its data on both sides
        Node split = new Node();
        split.child[0] = node.child[bit];
        split.child[1] = node.child[bit];
        node.child[bit] = split;
      }
      node = (Node) node.child[bit];
    }
    node.child[bit(address, prefix - 1)] = data;
    return this;
  }

  public void write(Path path) throws IOException {
    Files.write(path, toBytes());
  }

  public byte[] toBytes() {
    List<Node> nodes = new ArrayList<>();
    Map<Node, Integer> index = new IdentityHashMap<>();
    nodes.add(root);
    index.put(root, 0);
    // breadth first, so the root is node 0 as the format requires
    for (int i = 0; i < nodes.size(); i++) {
      for (Object c : nodes.get(i).child) {
        if (c instanceof Node n) {
          index.put(n, nodes.size());
          nodes.add(n);
        }
      }
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    Map<Object, Long> offsets = new LinkedHashMap<>();
    for (Node n : nodes) {
      for (Object c : n.child) {
        if (c != null && !(c instanceof Node) && !offsets.containsKey(c)) {
          offsets.put(c, (long) data.size());
          encode(c, data);
        }
      }
    }
    long nodeCount = nodes.size();
    int bits = recordSize != 0 ? recordSize : smallestRecordSize(nodeCount + DATA_SEPARATOR + data.size());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Node n : nodes) {
      long[] records = new long[2];
      for (int side = 0; side < 2; side++) {
        Object c = n.child[side];
        records[side] = c == null ? nodeCount
            : c instanceof Node child ? index.get(child) : nodeCount + DATA_SEPARATOR + offsets.get(c);
      }
      writeNode(out, bits, records[0], records[1]);
    }
    out.writeBytes(new byte[DATA_SEPARATOR]);
    out.writeBytes(data.toByteArray());
    out.writeBytes(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("node_count", nodeCount);
    metadata.put("record_size", bits);
    metadata.put("ip_version", 6);
    metadata.put("database_type", databaseType);
    metadata.put("languages", List.of("en"));
    metadata.put("binary_format_major_version", 2);
    metadata.put("binary_format_minor_version", 0);
    metadata.put("build_epoch", BigInteger.valueOf(System.currentTimeMillis() / 1000));
    metadata.put("description", Map.of("en", "Consent Gateway test database"));
    encode(metadata, out);
    return out.toByteArray();
  }

  private static int smallestRecordSize(long largestValue) {
    return largestValue < 1L << 24 ? 24 : largestValue < 1L << 28 ? 28 : 32;
  }

  private static void writeNode(ByteArrayOutputStream out, int bits, long left, long right) {
    if (Math.max(left, right) >= 1L << bits) {
      throw new IllegalStateException("database too large for " + bits + "-bit records");
    }
    switch (bits) {
      case 24 -> {
        writeUnsigned(out, left, 3);
        writeUnsigned(out, right, 3);
      }
      case 28 -> {
        // the middle byte carries the top nibble of each record: left's high, right's low
        writeUnsigned(out, left & 0xFFFFFF, 3);
        out.write((int) ((left >> 24) << 4 | right >> 24));
        writeUnsigned(out, right & 0xFFFFFF, 3);
      }
      default -> {
        writeUnsigned(out, left, 4);
        writeUnsigned(out, right, 4);
      }
    }
  }

  private static void encode(Object value, ByteArrayOutputStream out) {
    if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      control(out, 2, utf8.length);
      out.writeBytes(utf8);
    } else if (value instanceof Boolean b) {
      control(out, 14, b ? 1 : 0);
    } else if (value instanceof Integer i) {
      unsigned(out, 5, i, 2);
    } else if (value instanceof Long l) {
      unsigned(out, 6, l, 4);
    } else if (value instanceof BigInteger big) {
      unsigned(out, 9, big.longValueExact(), 8);
    } else if (value instanceof Double d) {
      control(out, 3, 8);
      writeUnsigned(out, Double.doubleToLongBits(d), 8);
    } else if (value instanceof Map<?, ?> map) {
      control(out, 7, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        encode((String) e.getKey(), out);
        encode(e.getValue(), out);
      }
    } else if (value instanceof List<?> list) {
      control(out, 11, list.size());
      for (Object item : list) {
        encode(item, out);
      }
    } else {
      throw new IllegalArgumentException("no MaxMind DB type for " + value);
    }
  }

  /** An unsigned integer in as few big-endian bytes as it needs, as the format asks. */
  private static void unsigned(ByteArrayOutputStream out, int type, long value, int maxBytes) {
    if (value < 0 || (maxBytes < 8 && value >= 1L << (8 * maxBytes))) {
      throw new IllegalArgumentException("out of range for type " + type + ": " + value);
    }
    int length = (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
    control(out, type, length);
    writeUnsigned(out, value, length);
  }

  /** The control byte: type in the top 3 bits (0 plus a second byte for extended types), then the size. */
  private static void control(ByteArrayOutputStream out, int type, int size) {
    int first = type <= 7 ? type << 5 : 0;
    if (size < 29) {
      out.write(first | size);
    } else if (size < 29 + 256) {
      out.write(first | 29);
    } else if (size < 285 + 65_536) {
      out.write(first | 30);
    } else {
      out.write(first | 31);
    }
    if (type > 7) {
      out.write(type - 7);
    }
    if (size >= 65_821) {
      writeUnsigned(out, size - 65_821, 3);
    } else if (size >= 285) {
      writeUnsigned(out, size - 285, 2);
    } else if (size >= 29) {
      writeUnsigned(out, size - 29, 1);
    }
  }

  private static void writeUnsigned(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xFF);
    }
  }

  private static int bit(byte[] address, int i) {
    return (address[i / 8] >> (7 - i % 8)) & 1;
  }
}
