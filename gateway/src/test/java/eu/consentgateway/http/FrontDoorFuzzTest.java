package eu.consentgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.internal.net.RFC3986;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The front door's path check against the request line as the HTTP decoder reads it (bytes as ISO-8859-1): a path
 * is let in exactly when it is ASCII and its escapes are two hex digits each that decode to UTF-8 text without U+0000,
 * and then the router's own decoder reads it without error and to the same text. Seeds: {@code FrontDoorFuzzTestInputs}.
 */
class FrontDoorFuzzTest {
  @FuzzTest
  void decodable(byte[] requestTarget) {
    String path = new String(requestTarget, StandardCharsets.ISO_8859_1);
    String expected = decoded(path);
    assertEquals(expected != null, FrontDoor.decodable(path), "decodable(" + path + ")");
    if (expected != null) {
      assertEquals(expected, RFC3986.decodeURIComponent(path, false), "the router reads another path");
    }
  }

  /** RFC 3986 percent-decoding into strict UTF-8; null when it does not decode or holds U+0000. */
  private static String decoded(String path) {
    if (path.chars().anyMatch(c -> c >= 0x80)) {
      return null; // a request target is ASCII
    }
    if (path.indexOf('%') < 0) {
      return path; // nothing to decode: the router takes it as it is
    }
    ByteBuffer bytes = ByteBuffer.allocate(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
          return null;
        }
        bytes.put((byte) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2))));
        i += 2;
      } else {
        bytes.put((byte) c);
      }
    }
    bytes.flip();
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
      return text.indexOf('\u0000') < 0 ? text : null;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10
        : -1;
  }
}
