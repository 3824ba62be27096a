package eu.consentgateway.browser;

import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** What the browser tests read off a page or a token, and waiting for what happens after a click. */
final class PageChecks {
  // what makes a button stand out: any difference here would nudge the visitor towards one answer
  private static final String LOOKS = """
      sel => { const s = getComputedStyle(document.querySelector(sel));
        return ['font-family', 'font-size', 'font-weight', 'font-style', 'color', 'background-color',
          'border-top-width', 'border-top-style', 'border-top-color', 'border-radius', 'padding-top',
          'padding-left', 'text-decoration-line', 'text-transform', 'opacity', 'box-shadow', 'outline-style']
          .map(p => p + ': ' + s.getPropertyValue(p)); }""";

  // WCAG contrast ratio of the element's text on its background
  private static final String CONTRAST = """
      sel => { const s = getComputedStyle(document.querySelector(sel));
        const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
          .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const [a, b] = [lum(s.color), lum(s.backgroundColor)];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }""";

  private PageChecks() {
  }

  /** The computed styles that decide how prominent an element looks, as "property: value" lines. */
  @SuppressWarnings("unchecked")
  static List<String> looks(Page page, String selector) {
    return (List<String>) page.evaluate(LOOKS, selector);
  }

  static double contrast(Page page, String selector) {
    return ((Number) page.evaluate(CONTRAST, selector)).doubleValue();
  }

  /** Starts listening to `page`: what its console reports as an error, and its uncaught exceptions, from now on. */
  static List<String> consoleErrors(Page page) {
    List<String> errors = new CopyOnWriteArrayList<>();
    page.onConsoleMessage(m -> {
      if ("error".equals(m.type())) {
        errors.add(m.text() + " (" + m.location() + ")");
      }
    });
    page.onPageError(e -> errors.add("uncaught: " + e));
    return errors;
  }

  /** The payload of a consent token (v1.kid.payload.signature), read as the widget reads it. */
  static JsonObject tokenClaims(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[2])));
  }

  @SuppressWarnings("unchecked")
  static List<String> tokenPurposes(String token) {
    return tokenClaims(token).getJsonArray("p").getList();
  }

  /** Waits until the page holds a recorded consent (not a pending one). */
  static void awaitRecorded(Page page) {
    page.waitForFunction("() => { const c = window.ConsentGateway && ConsentGateway.getConsent();"
        + " return c && c.consentId && !c.pending; }");
  }

  /** Lets the widget finish what a consent it just applied starts (a banner it decides to show, the button). */
  static void settle(Page page) {
    page.evaluate("() => new Promise(r => setTimeout(r, 300))");
  }

  static String activeId(Page page) {
    return (String) page.evaluate("document.activeElement.id");
  }

  /** Waits up to 5 s for `condition`, which the gateway or the page reaches asynchronously. */
  static void eventually(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
