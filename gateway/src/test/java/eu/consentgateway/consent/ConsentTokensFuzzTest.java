package eu.consentgateway.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import eu.consentgateway.http.ApiError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The token verifier on anything a browser can put in a header, and on edits of a real token: a 401 and nothing
 * else, and no spelling but the signed one verifies (padding, the other base64 alphabet or different unused bits
 * are other spellings). Seeds: {@code ConsentTokensFuzzTestInputs}.
 */
class ConsentTokensFuzzTest {
  private static final ConsentTokens TOKENS = new ConsentTokens(List.of("fuzz-secret-0123456789-abcdefghijkl",
      "older-secret-0123456789-abcdefghijkl"));
  static final TokenClaims CLAIMS = new TokenClaims("fuzz-site", UUID.fromString("2b0c3a4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"),
      UUID.fromString("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"), Set.of("necessary", "statistics"),
      Instant.ofEpochSecond(1_830_000_000L), "2026-01", Instant.ofEpochSecond(1_790_000_000L));
  static final String TOKEN = TOKENS.sign(CLAIMS);
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.";

  /** A header value is bytes; ISO-8859-1 is how the HTTP decoder turns them into a string. */
  @FuzzTest
  void anyToken(byte[] header) {
    String token = new String(header, StandardCharsets.ISO_8859_1);
    if (token.equals(TOKEN)) {
      assertEquals(CLAIMS, TOKENS.verify(token));
      return;
    }
    refused(token);
  }

  @FuzzTest
  void editedToken(FuzzedDataProvider data) {
    StringBuilder token = new StringBuilder(TOKEN);
    int edits = data.consumeInt(1, 4);
    for (int i = 0; i < edits; i++) {
      int at = data.consumeInt(0, token.length() - 1);
      char c = data.consumeBoolean() ? ALPHABET.charAt(data.consumeInt(0, ALPHABET.length() - 1)) : data.consumeChar();
      switch (data.consumeInt(0, 5)) {
        case 0 -> token.setCharAt(at, c);
        case 1 -> token.insert(at, c);
        case 2 -> token.deleteCharAt(at);
        case 3 -> token.append(data.pickValue(List.of("=", "==", ".", "A", "%3D")));
        case 4 -> token.setCharAt(at, switch (token.charAt(at)) {
          case '-' -> '+';
          case '_' -> '/';
          default -> Character.isUpperCase(token.charAt(at)) ? Character.toLowerCase(token.charAt(at))
              : Character.toUpperCase(token.charAt(at));
        });
        default -> {
          // the last character of a part, with other unused low bits: same bytes, another spelling
          int end = token.indexOf(".", at);
          int last = Math.max(0, (end < 0 ? token.length() : end) - 1);
          token.setCharAt(last, (char) (token.charAt(last) ^ (1 + data.consumeInt(0, 2))));
        }
      }
      if (token.length() == 0) {
        token.append(c);
      }
    }
    String edited = token.toString();
    if (edited.equals(TOKEN)) {
      assertEquals(CLAIMS, TOKENS.verify(edited));
    } else {
      refused(edited);
    }
    // the original still verifies: a refused copy leaves nothing behind in the cache
    assertEquals(CLAIMS, TOKENS.verify(TOKEN));
  }

  private static void refused(String token) {
    ApiError e = assertThrows(ApiError.class, () -> TOKENS.verify(token), "a token we did not sign verified: " + token);
    assertEquals(401, e.status());
  }
}
