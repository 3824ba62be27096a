package eu.consentgateway.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The marketing dashboard in a real Chromium under its own CSP, against a gateway whose rollups were built from
 * seeded events with known answers: sign-in with the key kept in sessionStorage and never in a URL, presets and a
 * custom range, tiles, charts and tables showing the seeded figures with the k-anonymity fold, French and English,
 * CSV downloads equal to the API's, axe and the keyboard.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
  static final Path SCREENSHOTS = ConsentBrowserTest.SCREENSHOTS;
  /** Thursday 26 November 2026, noon in Paris: the gateway's and the browser's now. */
  static final Instant NOW = Instant.parse("2026-11-26T11:00:00Z");
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  static TestGateway gw;
  static Chromium chromium;
  static String site;
  static String key;
  BrowserContext context;
  Page page;
  List<String> consoleErrors;
  final List<String> expectedErrors = new ArrayList<>();
  final List<String> requested = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    chromium = Chromium.launch();
    // the browser and the gateway share two busy cores here: how fast is not what this test checks
    gw = TestGateway.start(TestStores.config(Map.of("CG_VERTICLES", "1", "CG_PG_QUERY_TIMEOUT_MS", "15000",
        "CG_REQUEST_TIMEOUT_SECONDS", "30")), clock);
    site = TestStores.uniqueSite("dash");
    gw.createSite(site);
    // Monday 23: /a 8 visitors (10 pageviews), /b 6; /c 4 and /d 1 fold into an (other) of 5 distinct: kept
    DashboardSeed.pageviews(site, "2026-11-23", "/a", "www.search.example", 1, 2, 3, 4, 5, 6, 7, 8, 1, 2);
    DashboardSeed.pageviews(site, "2026-11-23", "/b", null, 1, 2, 3, 4, 5, 6);
    DashboardSeed.pageviews(site, "2026-11-23", "/c", "news.example", 9, 10, 11, 12);
    DashboardSeed.pageviews(site, "2026-11-23", "/d", "news.example", 13);
    // Tuesday 24: /a 6, /b 5; Wednesday 25: /a 5 and /e 1, whose (other) of 1 is withheld
    DashboardSeed.pageviews(site, "2026-11-24", "/a", "www.search.example", 1, 2, 3, 4, 5, 6);
    DashboardSeed.pageviews(site, "2026-11-24", "/b", null, 1, 2, 3, 4, 5);
    DashboardSeed.pageviews(site, "2026-11-25", "/a", null, 1, 2, 3, 4, 5);
    DashboardSeed.pageviews(site, "2026-11-25", "/e", null, 6);
    // Sunday 22, the period before 23-25: /a 5
    DashboardSeed.pageviews(site, "2026-11-22", "/a", null, 1, 2, 3, 4, 5);
    String withdrawn = DashboardSeed.consents(gw, clock, site, "2026-11-23", 10, "accept_all", "accept_all",
        "accept_all", "accept_all", "reject_all", "reject_all", "dismiss", "custom");
    DashboardSeed.consents(gw, clock, site, "2026-11-24", 5, "accept_all", "accept_all", "reject_all", "gpc");
    DashboardSeed.consents(gw, clock, site, "2026-11-25", 5, "accept_all", "accept_all", "accept_all", "custom");
    assertEquals(200, gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(withdrawn)).statusCode());
    clock.set(NOW);
    var rebuilt = gw.postJson("/v1/admin/stats/rollups", new JsonObject().put("siteId", site)
        .put("from", "2026-11-13").put("to", "2026-11-26"), TestGateway.admin());
    assertEquals(200, rebuilt.statusCode(), rebuilt.bodyAsString());
    key = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "marketing")
        .put("sites", new JsonArray().add(site)), TestGateway.admin()).bodyAsJsonObject().getString("token");
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void newReader() {
    context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale("fr-FR")
        .setViewportSize(1280, 900).setAcceptDownloads(true));
    context.setDefaultTimeout(15_000);
    context.clock().setSystemTime(NOW.toEpochMilli());
    // axe comes in through the DevTools protocol: the page's CSP would refuse it as a script element
    context.addInitScript(Axe.SCRIPT);
    page = context.newPage();
    consoleErrors = PageChecks.consoleErrors(page);
    page.onRequest(r -> requested.add(r.url()));
  }

  @AfterEach
  void noConsoleErrorsAndTheKeyInNoUrl() {
    try {
      assertEquals(List.of(), consoleErrors.stream()
          .filter(e -> expectedErrors.stream().noneMatch(e::contains)).toList(), "console errors");
      assertTrue(requested.size() > 10, requested.toString());
      for (String url : requested) {
        assertTrue(!url.contains(key), "the key in a URL: " + url);
        assertTrue(url.startsWith(gw.base() + "/") || url.startsWith("blob:" + gw.base() + "/")
            || url.startsWith("data:"),
            "nothing from another origin: " + url);
      }
    } finally {
      context.close();
    }
  }

  @Test
  void signsInSwitchesRangesAndShowsTheSeededFiguresInFrenchAndEnglish() {
    Response response = page.navigate(gw.base() + "/dashboard");
    assertEquals("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:;"
        + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'", response.headers().get("content-security-policy"));
    assertEquals("no-store", response.headers().get("cache-control"));
    assertEquals("fr", page.getAttribute("html", "lang"));
    signIn();
    assertEquals(key, page.evaluate("sessionStorage.getItem('cg-dashboard-key')"));
    assertEquals(0, page.evaluate("localStorage.length + document.cookie.length"));
    // 7 days (20-26) by default: 22 to 25 count
    assertEquals("2026-11-20", page.inputValue("#from"));
    assertEquals("30", text("#tile-visitors .tile-value"));
    assertEquals("43", text("#tile-pageviews .tile-value"));
    ready(() -> page.click("label:has(#preset-30d)"));
    assertEquals("2026-10-28", page.inputValue("#from"));
    assertEquals("30", text("#tile-visitors .tile-value"));
    page.fill("#from", "2026-11-23");
    page.fill("#to", "2026-11-25");
    assertTrue(page.isChecked("#preset-custom"), "typing a date makes the range custom");
    ready(() -> page.click("#apply"));
    ready(() -> page.check("#compare"));
    assertEquals("38", text("#tile-pageviews .tile-value"));
    assertEquals("25", text("#tile-visitors .tile-value"));
    assertEquals("+400 % (5 sur la période précédente)", text("#tile-visitors .tile-delta"));
    assertEquals("20", text("#tile-notices .tile-value"));
    assertEquals("55 %", text("#tile-coverage .tile-value"));
    assertTrue(text("#daily-uniques").startsWith("Les visiteurs sont comptés en uniques par jour, additionnés sur les"
        + " jours."), text("#daily-uniques"));
    for (String chart : List.of("optin", "choices", "traffic")) {
      assertTrue(painted("chart-" + chart + "-canvas") > 1000, chart + " drawn");
    }
    assertEquals(List.of("23 nov. 10 50 % 40 % 80 %", "24 nov. 5 40 % 40 % 80 %", "25 nov. 5 80 % 60 % 80 %"),
        rows("#chart-optin-data tbody tr"), "statistics, prospecting, interaction per day");
    assertTrue(text("#chart-optin-canvas").contains("Mesure d’audience 55 %, Prospection 45 %, Taux d’interaction 80 %"),
        page.getAttribute("#chart-optin-canvas", "aria-label"));
    assertEquals(List.of("Tout accepter 9 0", "Tout refuser 3 0", "Fermé sans choisir 1 0", "Personnalisé 2 0",
        "Signal GPC 1 0", "Retraits 1 0"), rows("#chart-choices-data tbody tr"));
    assertEquals(List.of("23 nov. 2026 13 21", "24 nov. 2026 6 11", "25 nov. 2026 6 6"),
        rows("#chart-traffic-data tbody tr"));
    assertEquals(List.of("shop.example/a 19 21", "shop.example/b 11 11"),
        rows("#table-page tbody tr"));
    assertEquals("(autres) 5 5", rows("#table-page tfoot tr").get(0));
    assertEquals("3 regroupés sous k = 5", text("#table-page-suppressed"));
    assertEquals("(accès direct)", text("#table-referrer tbody tr:first-child th"), "the most visitors came direct");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard-fr.png")).setFullPage(true));

    page.click("#lang");
    assertEquals("en", page.getAttribute("html", "lang"));
    assertEquals("Dashboard · Consent Gateway", page.title());
    assertEquals("Pageviews", text("#tile-pageviews .tile-label"));
    assertEquals("Visitors (daily uniques)", text("#tile-visitors .tile-label"));
    assertTrue(text("#daily-uniques").startsWith("Visitors are counted as daily uniques, summed over days."));
    assertEquals("(other) 5 5", rows("#table-page tfoot tr").get(0));
    assertEquals("3 folded below k = 5", text("#table-page-suppressed"));
    assertEquals("Accept all 9 0", rows("#chart-choices-data tbody tr").get(0));
    assertTrue(painted("chart-choices-canvas") > 1000, "redrawn in English");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard-en.png")).setFullPage(true));
  }

  @Test
  void csvDownloadsAreTheApisCsv() throws Exception {
    page.navigate(gw.base() + "/dashboard");
    signIn();
    page.fill("#from", "2026-11-23");
    page.fill("#to", "2026-11-25");
    ready(() -> page.click("#apply"));
    String range = "from=2026-11-23&to=2026-11-25";
    download("#table-page-csv", "traffic-" + site + "-page_2026-11-23_2026-11-25.csv",
        "/v1/stats/" + site + "/traffic?" + range + "&dimension=page&limit=1000");
    download("#chart-traffic-csv", "traffic-" + site + "-day_2026-11-23_2026-11-25.csv",
        "/v1/stats/" + site + "/traffic?" + range + "&dimension=day");
    download("#chart-choices-csv", "consent-" + site + "_2026-11-23_2026-11-25.csv",
        "/v1/stats/" + site + "/consent?" + range + "&interval=day");
  }

  @Test
  void axeFindsNothingAndTheKeyboardReachesEveryControlWithAVisibleFocus() {
    page.navigate(gw.base() + "/dashboard");
    assertEquals(List.of(), Axe.violations(page), "sign-in form");
    page.focus("#key");
    page.keyboard().type(key);
    ready(() -> page.keyboard().press("Enter"));
    assertEquals(List.of(), Axe.violations(page), "dashboard, French");
    page.click("#lang");
    assertEquals(List.of(), Axe.violations(page), "dashboard, English");
    for (int i = 0; i < 80 && !"lang".equals(PageChecks.activeId(page)); i++) {
      page.keyboard().press("Tab");
    }
    List<String> order = new ArrayList<>(List.of("lang"));
    for (int i = 0; i < 40 && order.size() < 22; i++) {
      page.keyboard().press("Tab");
      String focused = (String) page.evaluate(FOCUSED);
      assertTrue(focused.endsWith("|ring"), "no visible focus on " + focused);
      String id = focused.substring(0, focused.indexOf('|'));
      if (order.isEmpty() || !order.get(order.size() - 1).equals(id)) {
        order.add(id); // a date input takes one Tab per part of the date
      }
    }
    assertEquals(List.of("lang", "signout", "site", "preset-7d", "from", "to", "apply", "compare", "summary-csv",
        "chart-optin-csv", "summary", "chart-choices-csv", "summary", "chart-traffic-csv", "summary", "table-page-csv",
        "table-referrer-csv", "table-browser-csv", "table-os-csv", "table-device-csv", "table-country-csv",
        "table-language-csv"), order.subList(0, 22));
    page.focus("#preset-7d");
    ready(() -> page.keyboard().press("ArrowRight"));
    assertTrue(page.isChecked("#preset-30d"), "arrows move across the presets");
    assertEquals("preset-30d", PageChecks.activeId(page), "focus stays in the group");
    assertEquals("2026-10-28", page.inputValue("#from"));
  }

  @Test
  void aWrongKeyIsRefusedAtTheFieldAndSignOutForgetsTheKey() {
    expectedErrors.add("status of 401");
    page.navigate(gw.base() + "/dashboard");
    page.fill("#key", "not-a-key-0123456789");
    page.click("#signin");
    page.locator("#key-error").waitFor();
    assertEquals("Clé inconnue ou révoquée.", text("#key-error"));
    assertEquals("true", page.getAttribute("#key", "aria-invalid"));
    assertEquals("key", PageChecks.activeId(page));
    assertNull(page.evaluate("sessionStorage.getItem('cg-dashboard-key')"));
    signIn();
    page.reload();
    page.waitForSelector("body[data-state=ready]");
    assertEquals("43", text("#tile-pageviews .tile-value"), "the tab keeps the key across a reload");
    page.click("#signout");
    assertNull(page.evaluate("sessionStorage.getItem('cg-dashboard-key')"));
    assertEquals("key", PageChecks.activeId(page));
    page.reload();
    page.locator("#key").waitFor();
    assertEquals("signin", page.getAttribute("body", "data-state"));
  }

  // -- helpers --------------------------------------------------------------------------------------

  /** The focused element's id (or tag) and whether it shows a focus ring ('|ring'); a preset shows it on its label. */
  private static final String FOCUSED = """
      () => { const e = document.activeElement; const ring = e.type === 'radio' ? e.nextElementSibling : e;
        const s = getComputedStyle(ring);
        return (e.id || e.tagName.toLowerCase()) + (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
          ? '|ring' : '|none'); }""";

  private void signIn() {
    page.fill("#key", key);
    ready(() -> page.click("#signin"));
  }

  /** Runs `action` and waits for the dashboard to have loaded what it asked for. */
  private void ready(Runnable action) {
    page.evaluate("() => { document.body.dataset.state = 'waiting'; }");
    action.run();
    page.waitForSelector("body[data-state=ready]");
  }

  private String text(String selector) {
    return page.textContent(selector).replaceAll("[\\u00a0\\u202f]", " ").trim();
  }

  @SuppressWarnings("unchecked")
  private List<String> rows(String selector) {
    return ((List<String>) page.evaluate("s => [...document.querySelectorAll(s)].map(r => [...r.cells]"
        + ".map(c => c.textContent.trim()).join(' '))", selector)).stream()
        .map(r -> r.replaceAll("[\\u00a0\\u202f]", " ")).toList();
  }

  /** How many pixels of the canvas are not transparent. */
  private int painted(String id) {
    return ((Number) page.evaluate("id => { const c = document.getElementById(id);"
        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }", id)).intValue();
  }

  private void download(String button, String name, String apiPath) throws Exception {
    Download d = page.waitForDownload(() -> page.click(button));
    assertEquals(name, d.suggestedFilename());
    String saved = Files.readString(d.path());
    var api = gw.get(apiPath, Map.of("Authorization", "Bearer " + key, "Accept", "text/csv"));
    assertEquals(200, api.statusCode());
    assertEquals(api.bodyAsString(), saved, button);
    assertTrue(saved.lines().count() > 2, saved);
  }
}
