package eu.consentgateway.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Screening of free text (UTF-8 bytes decoded as a JSON string would be): what comes out holds no e-mail or IPv4
 * address by the screening patterns themselves, no control character, and screening it again changes nothing.
 * Seeds: {@code FreeTextFuzzTestInputs}.
 */
class FreeTextFuzzTest {
  private static final Pattern EMAIL = Pattern.compile(
      "[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");
  private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![0-9])");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}]");
  private static final Pattern ESCAPE = Pattern.compile("%([0-7][0-9A-Fa-f])");

  @FuzzTest
  void screen(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String screened = FreeText.screen(text);
    clean(text, screened);
    assertFalse(CONTROL.matcher(screened).find(), "a control character is kept");
    assertTrue(screened.length() <= text.length(), "screening never lengthens");
    assertEquals(screened, FreeText.screen(screened), "screening twice changes nothing");
  }

  @FuzzTest
  void path(byte[] input) {
    String raw = new String(input, StandardCharsets.UTF_8);
    String path = FreeText.path(raw);
    clean(raw, path);
    // nor one written with escapes (%40 for '@'); a double escape (%2540) is text that reads "%40"
    if (!raw.toLowerCase(Locale.ROOT).contains("%25")) {
      clean(raw, asciiEscapesDecoded(path));
    }
    assertEquals(path, FreeText.screen(path), "a screened path is screened text");
    FreeText.ipLiteral(raw);
  }

  private static void clean(String input, String output) {
    assertFalse(EMAIL.matcher(output).find(), "an e-mail address is kept: " + output + " from " + input);
    assertFalse(IPV4.matcher(output).find(), "an IPv4 address is kept: " + output + " from " + input);
  }

  private static String asciiEscapesDecoded(String s) {
    return ESCAPE.matcher(s).replaceAll(r -> Matcher.quoteReplacement(
        Character.toString((char) Integer.parseInt(r.group(1), 16))));
  }
}
