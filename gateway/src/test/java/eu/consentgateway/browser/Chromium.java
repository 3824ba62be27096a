package eu.consentgateway.browser;

import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Debian's Chromium driven by Playwright, which runs offline with the driver inside its jar: no browser is
 * ever downloaded. A missing Chromium fails the tests with how to install it.
 */
final class Chromium implements AutoCloseable {
  static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");
  private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

  private final Playwright playwright;
  private final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  static Chromium launch() {
    if (!Files.isExecutable(EXECUTABLE)) {
      fail("Chromium is not installed at " + EXECUTABLE + ". Install it with: bash deploy/services.sh --browser");
    }
    Playwright playwright = Playwright.create();
    try {
      return new Chromium(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(ARGS)));
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  Browser browser() {
    return browser;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
