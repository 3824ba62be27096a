package eu.consentgateway.browser;

import static eu.consentgateway.browser.PageChecks.activeId;
import static eu.consentgateway.browser.PageChecks.awaitRecorded;
import static eu.consentgateway.browser.PageChecks.eventually;
import static eu.consentgateway.browser.PageChecks.settle;
import static eu.consentgateway.browser.PageChecks.tokenClaims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The banner's first layer, the floating button, dismissal, asking again after a refusal and a token revoked
 * behind the browser's back, in a real Chromium against a real gateway (PostgreSQL, Redis) whose clock the tests
 * move, together with the browser's.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BannerBrowserTest {
  static final Path SCREENSHOTS = ConsentBrowserTest.SCREENSHOTS;
  static final String CONTROLLER = "Maison Exemple SAS";
  static final String FIRST_LAYER_FR = "Avec votre accord, " + CONTROLLER + " utilise des cookies et technologies"
      + " similaires pour\u00a0: Mesure d'audience du site, Offres de nos partenaires.";
  static final String FIRST_LAYER_EN = "With your consent, " + CONTROLLER + " uses cookies and similar technologies"
      + " for: Site audience measurement, Offers from our partners.";
  static final String ALL_GRANTED = "{\"necessary\": true, \"statistics\": true, \"prospecting\": true}";
  static final MutableClock clock = new MutableClock(Instant.now());
  static TestGateway gw;
  static SitePages sites;
  static Chromium chromium;
  String site;
  BrowserContext context;
  Page page;
  List<String> consoleErrors;
  final List<String> expectedErrors = new ArrayList<>();

  @BeforeAll
  static void start() {
    chromium = Chromium.launch();
    gw = TestGateway.start(TestStores.config(Map.of("CG_VERTICLES", "1")), clock);
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
    clock.set(Instant.now()); // the browser's time; tests that need a later day move both
    site = TestStores.uniqueSite("banner");
    putSite(null);
    context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("fr-FR"));
    context.setDefaultTimeout(10_000);
    page = context.newPage();
    consoleErrors = PageChecks.consoleErrors(page);
  }

  @AfterEach
  void noConsoleErrors() {
    try {
      assertEquals(List.of(), consoleErrors.stream()
          .filter(e -> expectedErrors.stream().noneMatch(e::contains)).toList(), "console errors");
    } finally {
      context.close();
    }
  }

  // -- a, b: the first layer names the controller and the purposes, in the banner's own language ------

  @Test
  void firstLayerNamesTheControllerAndThePurposesAndAcceptAllGrantsExactlyThose() {
    Locator banner = open(sites.page(site));
    assertEquals("fr", banner.getAttribute("lang"));
    String desc = page.textContent("#cg-desc");
    assertTrue(desc.startsWith(FIRST_LAYER_FR), desc);
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("banner-first-layer-fr.png")));
    page.click("#cg-accept");
    awaitRecorded(page);
    assertEquals(1, events(null), "one record");
    assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND method = 'accept_all'"
        + " AND choices = ?::jsonb", site, ALL_GRANTED), "accept all grants the two purposes named, nothing else");
  }

  @Test
  void englishPageGetsTheEnglishFirstLayerFromTheInlinedConfig() {
    List<String> requested = new CopyOnWriteArrayList<>();
    page.onRequest(r -> requested.add(r.url()));
    Locator banner = open(sites.siteSpecificPage(site) + "?lang=en");
    assertEquals("en", banner.getAttribute("lang"), "the page's lang outranks the browser's fr");
    String desc = page.textContent("#cg-desc");
    assertTrue(desc.startsWith(FIRST_LAYER_EN), desc);
    assertTrue(requested.stream().noneMatch(u -> u.contains("/config")), "name and labels came inside the script");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("banner-first-layer-en.png")));
  }

  @Test
  void pageInALanguageTheSiteLacksGetsTheBrowsersAndTheBannerSaysWhichItSpeaks() {
    Locator banner = open(sites.page(site) + "?lang=de");
    assertEquals("de", page.getAttribute("html", "lang"));
    assertEquals("fr", banner.getAttribute("lang"));
    assertTrue(page.textContent("#cg-desc").startsWith(FIRST_LAYER_FR));
  }

  // -- c: the floating button -------------------------------------------------------------------------

  @Test
  void floatingButtonIsKeyboardReachableAndReopensTheCurrentChoices() {
    open(sites.page(site));
    assertEquals(0, page.locator("#cg-fab").count(), "never beside the banner");
    page.click("#cg-customise");
    page.check("#cg-p-statistics");
    page.click("#cg-save");
    awaitRecorded(page);
    Locator fab = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Préférences cookies")
        .setExact(true));
    fab.waitFor();
    assertEquals("cg-fab", fab.getAttribute("id"), "its accessible name is its visible label");
    assertEquals("fr", fab.getAttribute("lang"));
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("floating-button.png")));
    page.evaluate("() => document.activeElement && document.activeElement.blur()");
    for (int i = 0; i < 8 && !"cg-fab".equals(activeId(page)); i++) {
      page.keyboard().press("Tab");
    }
    assertEquals("cg-fab", activeId(page), "Tab reaches the floating button");
    page.keyboard().press("Enter");
    page.locator("#cg-banner").waitFor();
    assertEquals(0, page.locator("#cg-fab").count(), "the button leaves while the banner is open");
    page.click("#cg-customise");
    assertTrue(page.isChecked("#cg-p-statistics"), "the current choice is shown");
    assertFalse(page.isChecked("#cg-p-prospecting"));
    page.click("#cg-save");
    eventually(() -> events("custom") == 2, "the choice confirmed once more");
    assertEquals("cg-fab", activeId(page), "focus goes back to the button that opened the banner");
  }

  @Test
  void floatingButtonStaysAwayWhenTheSiteTurnsItOff() {
    putSite(new JsonObject().put("floatingButton", false));
    open(sites.page(site));
    page.click("#cg-refuse");
    awaitRecorded(page);
    settle(page);
    assertEquals(0, page.locator("#cg-fab").count());
    page.click("#open");
    assertTrue(page.locator("#cg-banner").isVisible(), "the site's own data-cg-open link still reopens it");
  }

  // -- d: × and Escape are a dismissal ----------------------------------------------------------------

  @Test
  void closeButtonAndEscapeRecordADismissal() {
    open(sites.page(site));
    assertEquals("Fermer et tout refuser", page.getAttribute("#cg-close", "aria-label"));
    page.click("#cg-close");
    eventually(() -> events("dismiss") == 1, "× recorded as dismiss");
    page.click("#open");
    page.locator("#cg-banner").waitFor();
    page.keyboard().press("Escape");
    eventually(() -> events("dismiss") == 2, "Escape recorded as dismiss");
    assertEquals(0, page.locator("#cg-banner").count());
    assertEquals(2, events(null), "nothing else recorded");
  }

  // -- e: asking again after a refusal ----------------------------------------------------------------

  @Test
  void afterARefusalTheBannerComesBackOnceTheSitesDelayHasPassed() {
    putSite(new JsonObject().put("repromptAfterRefusalDays", 30));
    Instant refusedAt = clock.instant();
    open(sites.page(site));
    page.click("#cg-refuse");
    awaitRecorded(page);
    at(refusedAt.plus(Duration.ofDays(29)));
    page.reload();
    awaitRecorded(page);
    settle(page);
    assertEquals(0, page.locator("#cg-banner").count(), "29 days after the refusal: not yet");
    assertTrue(page.locator("#cg-fab").isVisible());
    at(refusedAt.plus(Duration.ofDays(31)));
    page.reload();
    page.locator("#cg-banner").waitFor();
    page.click("#cg-accept");
    eventually(() -> events("accept_all") == 1, "the new answer recorded");
    assertEquals(1, TestStores.count("SELECT count(DISTINCT subject_id) FROM consent.events WHERE site_id = ?", site),
        "the new answer stays with the same subject");
    assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND method = 'accept_all'"
        + " AND given_at > ?::timestamptz + interval '30 days'", site, refusedAt.toString()));
  }

  @Test
  void byDefaultARefusalHoldsUntilExpiry() {
    Instant refusedAt = clock.instant();
    open(sites.page(site));
    page.click("#cg-refuse");
    awaitRecorded(page);
    at(refusedAt.plus(Duration.ofDays(31)));
    page.reload();
    awaitRecorded(page);
    settle(page);
    assertEquals(0, page.locator("#cg-banner").count());
    assertEquals(1, events(null));
  }

  // -- f: a token revoked behind the browser's back ---------------------------------------------------

  @Test
  void tokenWithdrawnElsewhereIsDroppedAndTheChoiceGoesOnceMoreAsANewSubject() {
    changeAfterRevocation(old -> {
      var r = gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site), TestGateway.bearer(old));
      assertEquals(200, r.statusCode(), r.bodyAsString());
    });
  }

  @Test
  void tokenReplacedElsewhereIsDroppedAndTheChoiceGoesOnceMoreAsANewSubject() {
    changeAfterRevocation(old -> {
      var r = gw.postJson("/v1/consents", TestGateway.consentBody(site, "reject_all",
          Map.of("statistics", false, "prospecting", false)), TestGateway.bearer(old));
      assertEquals(201, r.statusCode(), r.bodyAsString());
    });
  }

  /** Accept all, `revoke` the cookie's token through the API, then change the choice in the open page. */
  void changeAfterRevocation(Consumer<String> revoke) {
    open(sites.page(site));
    page.click("#cg-accept");
    awaitRecorded(page);
    String old = cookie("cg_consent").value;
    revoke.accept(old);
    assertEquals(401, gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(old)).statusCode());
    expectedErrors.add("status of 401"); // Chromium reports the refused bearer call on the console
    List<Integer> recordCalls = new CopyOnWriteArrayList<>();
    page.onResponse(r -> {
      if ("POST".equals(r.request().method()) && r.url().endsWith("/v1/consents")) {
        recordCalls.add(r.status());
      }
    });
    page.click("#open");
    page.locator("#cg-banner").waitFor();
    page.click("#cg-customise");
    page.uncheck("#cg-p-prospecting");
    page.click("#cg-save");
    page.waitForFunction("old => { const c = ConsentGateway.getConsent();"
        + " return c && c.consentId && !c.pending && c.consentId !== old; }", tokenClaims(old).getString("cid"));
    settle(page);
    assertEquals(List.of(401, 201), recordCalls, "refused with the old token, then once as a new subject");
    String token = cookie("cg_consent").value;
    String subject = tokenClaims(token).getString("sub");
    assertNotEquals(tokenClaims(old).getString("sub"), subject);
    assertEquals(1, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND subject_id = ?"
        + " AND method = 'custom' AND choices->>'statistics' = 'true'", site, UUID.fromString(subject)));
  }

  // -- g: accessibility --------------------------------------------------------------------------------

  @Test
  void axeFindsNoWcag21ViolationsWithTheBannerOpenOrTheFloatingButtonShown() {
    open(sites.page(site));
    assertEquals(List.of(), Axe.violations(page), "first layer");
    page.click("#cg-customise");
    assertEquals(List.of(), Axe.violations(page), "second layer");
    page.click("#cg-save");
    page.locator("#cg-fab").waitFor();
    assertEquals(List.of(), Axe.violations(page), "floating button");
  }

  // -- helpers --------------------------------------------------------------------------------------

  /**
   * Creates or replaces the test site: the controller's name, both optional purposes with labels of their own
   * (not the widget's built-in ones), and `widget` settings (null: none, so the defaults).
   */
  void putSite(JsonObject widget) {
    JsonObject doc = TestGateway.siteDocument(sites.origin()).put("name", CONTROLLER);
    JsonArray purposes = doc.getJsonArray("purposes");
    purposes.getJsonObject(0).put("labels", new JsonObject()
        .put("fr", "Mesure d'audience du site").put("en", "Site audience measurement"));
    purposes.getJsonObject(1).put("labels", new JsonObject()
        .put("fr", "Offres de nos partenaires").put("en", "Offers from our partners"));
    if (widget != null) {
      doc.put("widget", widget);
    }
    var r = gw.putJson("/v1/admin/sites/" + site, doc, TestGateway.admin());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  /** Opens `url` as the visitor and waits for the banner. */
  Locator open(String url) {
    page.navigate(url);
    Locator banner = page.locator("#cg-banner");
    banner.waitFor();
    return banner;
  }

  /** The gateway's time and the browser's both set to `instant` (the browser's then runs on from there). */
  void at(Instant instant) {
    clock.set(instant);
    context.clock().setSystemTime(instant.toEpochMilli());
  }

  /** Consent records of the test site, with `method` (any when null). */
  long events(String method) {
    return method == null
        ? TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site)
        : TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND method = ?", site, method);
  }

  Cookie cookie(String name) {
    return context.cookies().stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
  }
}
