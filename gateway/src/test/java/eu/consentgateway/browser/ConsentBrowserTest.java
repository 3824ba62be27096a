package eu.consentgateway.browser;

import static eu.consentgateway.browser.PageChecks.eventually;
import static eu.consentgateway.browser.PageChecks.tokenClaims;
import static eu.consentgateway.browser.PageChecks.tokenPurposes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.Cookie;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The visitor's journeys in a real Chromium: a shop page on its own origin embeds consent.js from a real
 * gateway (real PostgreSQL and Redis), and each test checks what the browser and the ledger end up holding.
 */
class ConsentBrowserTest {
  static final Path SCREENSHOTS = Paths.get(System.getProperty("cg.build.dir", "target"), "screenshots");
  static TestGateway gw;
  static SitePages sites;
  static Chromium chromium;
  String site;
  BrowserContext context;
  Page page;

  @BeforeAll
  static void start() {
    chromium = Chromium.launch();
    gw = TestGateway.start(TestStores.config(Map.of("CG_VERTICLES", "1")), Clock.systemUTC());
    sites = SitePages.start(gw.base());
  }

  @AfterAll
  static void stop() {
    if (sites != null) {
      sites.close();
    }
    if (gw != null) {
      gw.close();
    }
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void freshVisitor() {
    site = TestStores.uniqueSite("browser");
    // statistics (cookie "_stats") and prospecting, for pages served from the test site's origin
    JsonObject doc = TestGateway.siteDocument(sites.origin());
    var created = gw.putJson("/v1/admin/sites/" + site, doc, TestGateway.admin());
    assertEquals(200, created.statusCode(), created.bodyAsString());
    context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("fr-FR"));
    page = context.newPage();
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  @Test
  void bannerAppearsAsADialogAndANoticeIsRecorded() {
    Locator banner = openShop();
    assertEquals("dialog", banner.getAttribute("role"));
    assertEquals("true", banner.getAttribute("aria-modal"));
    eventually(() -> notices() == 1, "one notice row for the banner shown");
  }

  @Test
  void siteSpecificScriptOpensTheBannerWithoutAConfigRequest() {
    List<String> requested = new CopyOnWriteArrayList<>();
    page.onRequest(r -> requested.add(r.url()));
    page.navigate(sites.siteSpecificPage(site));
    page.locator("#cg-banner").waitFor();
    // the page's tags name only statistics: a prospecting toggle can come from nowhere but the site's config
    assertEquals(1, page.locator("input[data-purpose=prospecting]").count());
    eventually(() -> notices() == 1, "one notice row for the banner shown");
    page.click("#cg-refuse");
    awaitCookie("cg_consent");
    assertEquals(1, events("reject_all"));
    assertTrue(requested.stream().noneMatch(u -> u.contains("/config")), String.join("\n", requested));
  }

  @Test
  void refuseAllAndAcceptAllHaveEqualSizeAndWeight() {
    openShop();
    BoundingBox refuse = page.locator("#cg-refuse").boundingBox();
    BoundingBox accept = page.locator("#cg-accept").boundingBox();
    assertEquals(refuse.width, accept.width, 1.0, "width");
    assertEquals(refuse.height, accept.height, 1.0, "height");
    assertEquals(PageChecks.looks(page, "#cg-refuse"), PageChecks.looks(page, "#cg-accept"));
    double contrast = PageChecks.contrast(page, "#cg-refuse");
    assertEquals(contrast, PageChecks.contrast(page, "#cg-accept"), 0.01);
    assertTrue(contrast >= 4.5, "text contrast " + contrast);
  }

  @Test
  void refusingRecordsTheConsentAndSetsACookieExpiringIn13Months() {
    openShop();
    page.click("#cg-refuse");
    Cookie cookie = awaitCookie("cg_consent");
    assertEquals(1, events("reject_all"));
    long expiresAt = TestStores.count(
        "SELECT extract(epoch FROM expires_at)::bigint FROM consent.events WHERE site_id = ?", site);
    long thirteenMonths = Instant.now().atZone(ZoneOffset.UTC).plusMonths(13).toEpochSecond();
    assertEquals(expiresAt, cookie.expires, 86_400, "cookie expiry vs the consent's expiresAt");
    assertEquals(thirteenMonths, cookie.expires, 86_400, "cookie expiry vs 13 months from now");
  }

  @Test
  void reloadShowsNoBannerAndLeavesTheCookieExpiryUnchanged() {
    openShop();
    page.click("#cg-accept");
    double before = awaitCookie("cg_consent").expires;
    page.reload();
    page.waitForFunction("() => { const c = window.ConsentGateway && ConsentGateway.getConsent();"
        + " return c && c.consentId && !c.pending; }");
    assertEquals(0, page.locator("#cg-banner").count());
    assertEquals(before, cookie("cg_consent").expires);
  }

  @Test
  void heldBackScriptRunsOnlyAfterAcceptAll() {
    openShop();
    assertNull(page.evaluate("window.statsRan"));
    page.click("#cg-accept");
    page.waitForFunction("() => window.statsRan === true");
    assertEquals("1", awaitCookie("_stats").value);
  }

  @Test
  void heldBackScriptStaysOffAfterRefuseAll() {
    openShop();
    page.click("#cg-refuse");
    awaitCookie("cg_consent");
    page.waitForFunction("() => { const c = ConsentGateway.getConsent(); return c && c.consentId; }");
    assertNull(page.evaluate("window.statsRan"));
    assertNull(cookie("_stats"));
  }

  @Test
  void globalPrivacyControlRefusesProspecting() {
    context.setExtraHTTPHeaders(Map.of("Sec-GPC", "1"));
    context.addInitScript("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl',"
        + " { get: () => true, configurable: true });");
    openShop();
    assertTrue(page.locator("#cg-p-prospecting").isDisabled(), "prospecting is locked off");
    page.click("#cg-accept");
    awaitCookie("cg_consent");
    assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND method = 'gpc'"
        + " AND choices->>'prospecting' = 'false' AND choices->>'statistics' = 'true'", site));
    assertEquals(List.of("necessary", "statistics"), tokenPurposes(cookie("cg_consent").value));
  }

  @Test
  void keyboardOnlyVisitorCanChooseAndFocusStaysInTheDialog() {
    openShop();
    assertEquals("cg-title", activeId(), "focus moves into the dialog, on its heading");
    List<String> visited = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      page.keyboard().press("Tab");
      assertTrue((Boolean) page.evaluate("document.getElementById('cg-banner').contains(document.activeElement)"),
          "Tab keeps focus inside the dialog");
      visited.add(activeId());
    }
    // after the last button Tab wraps to the first focusable element of the dialog (the close button)
    assertEquals(List.of("", "cg-refuse", "cg-accept", "cg-customise", "cg-close", "", "cg-refuse"), visited);
    for (String expected : List.of("", "cg-close", "cg-customise")) {
      page.keyboard().press("Shift+Tab");
      assertEquals(expected, activeId(), "Shift+Tab goes backwards and wraps from the first to the last");
    }
    page.keyboard().press("Enter");
    assertTrue(page.locator("#cg-prefs").isVisible(), "Enter on Customise opens the second layer");
    assertEquals("cg-prefs-title", activeId());
    page.keyboard().press("Escape");
    assertTrue(page.locator("#cg-main").isVisible(), "Escape goes back to the first layer");
    page.keyboard().press("Tab");
    page.keyboard().press("Tab");
    page.keyboard().press("Tab");
    assertEquals("cg-accept", activeId());
    page.keyboard().press("Enter");
    awaitCookie("cg_consent");
    assertEquals(0, page.locator("#cg-banner").count());
    assertEquals(1, events("accept_all"));
  }

  @Test
  void withdrawalOnThePreferencesPageRefusesTheTokenAndClearsTheListedCookies() {
    openShop();
    page.click("#cg-accept");
    page.waitForFunction("() => window.statsRan === true");
    awaitCookie("_stats");
    String oldToken = awaitCookie("cg_consent").value;
    page.click("#prefs");
    page.waitForURL(gw.base() + "/preferences");
    page.click("#cg-pref-withdraw");
    page.waitForLoadState();
    eventually(() -> gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(oldToken)).statusCode() == 401,
        "the old token is refused after withdrawal");
    page.click("#cg-pref-return");
    page.waitForURL(Pattern.compile(Pattern.quote(sites.page(site)) + ".*"));
    page.waitForFunction("old => { const c = window.ConsentGateway && ConsentGateway.getConsent();"
        + " return c && c.consentId && c.consentId !== old && c.choices.statistics === false; }",
        tokenClaims(oldToken).getString("cid"));
    assertEquals(sites.page(site), page.url(), "cg_token is taken out of the address bar");
    assertNull(cookie("_stats"), "the statistics cookie is deleted");
    String token = cookie("cg_consent").value;
    assertNotEquals(oldToken, token);
    assertEquals(List.of("necessary"), tokenPurposes(token));
    assertEquals(1, events("withdraw"));
  }

  @Test
  void screenshotsOfTheBannerAndThePreferencesPage() {
    openShop();
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("banner.png")).setFullPage(true));
    page.click("#cg-customise");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("banner-customise.png")));
    page.click("#cg-save");
    awaitCookie("cg_consent");
    page.click("#prefs");
    page.waitForURL(gw.base() + "/preferences");
    assertTrue(page.locator("#cg-pref-status").isVisible());
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("preferences.png")).setFullPage(true));
    assertTrue(SCREENSHOTS.resolve("banner.png").toFile().length() > 0);
    assertTrue(SCREENSHOTS.resolve("preferences.png").toFile().length() > 0);
  }

  // -- helpers --------------------------------------------------------------------------------------

  /** Opens the shop page as a new visitor and waits for the banner. */
  Locator openShop() {
    page.navigate(sites.page(site));
    Locator banner = page.locator("#cg-banner");
    banner.waitFor();
    assertTrue(banner.isVisible());
    return banner;
  }

  long notices() {
    return TestStores.count("SELECT count(*) FROM consent.notices WHERE site_id = ?", site);
  }

  long events(String method) {
    return TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND method = ?", site, method);
  }

  String activeId() {
    return (String) page.evaluate("document.activeElement.id");
  }

  Cookie cookie(String name) {
    return context.cookies().stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
  }

  Cookie awaitCookie(String name) {
    eventually(() -> cookie(name) != null, "cookie " + name);
    return cookie(name);
  }
}
