package eu.consentgateway.browser;

import eu.consentgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.regex.Pattern;

/**
 * A site that embeds the widget, on its own loopback origin: {@code GET /s/{siteId}} is a shop page for that
 * site, with a held-back statistics tag, a link that reopens the banner and one to the preferences page;
 * {@code GET /f/{siteId}} is the same page embedding the site-specific script ({@code consent.js?site=}).
 * {@code ?lang=xx} sets the page's {@code <html lang>} (default fr).
 */
final class SitePages implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private SitePages(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static SitePages start(String gatewayBase) {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      String path = req.path();
      if ((path.startsWith("/s/") || path.startsWith("/f/")) && path.length() > 3) {
        String page = path.startsWith("/f/") ? PAGE.replace("consent.js\"", "consent.js?site=SITE\"") : PAGE;
        String lang = req.getParam("lang", "fr");
        req.response().putHeader("content-type", "text/html; charset=utf-8")
            .end(page.replace("GATEWAY", gatewayBase).replace("SITE", path.substring(3))
                .replace("LANG", LANG.matcher(lang).matches() ? lang : "fr"));
      } else if (path.equals("/favicon.ico")) {
        req.response().setStatusCode(204).end(); // Chromium asks for it; a 404 would be a console error
      } else {
        req.response().setStatusCode(404).end();
      }
    });
    return new SitePages(vertx, TestGateway.await(server.listen(0, "127.0.0.1")));
  }

  String origin() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  String page(String siteId) {
    return origin() + "/s/" + siteId;
  }

  /** The shop page with the site's config inside the script. */
  String siteSpecificPage(String siteId) {
    return origin() + "/f/" + siteId;
  }

  @Override
  public void close() {
    TestGateway.await(vertx.close());
  }

  private static final Pattern LANG = Pattern.compile("[a-z]{2}(-[A-Z]{2})?");
  private static final String PAGE = """
      <!doctype html>
      <html lang="LANG">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Boutique de test</title>
        <script src="GATEWAY/consent.js" data-site="SITE" defer></script>
      </head>
      <body>
        <h1>Boutique de test</h1>
        <p>Une page de site marchand qui intègre la bannière avec une seule balise.</p>
        <p><a href="#" id="open" data-cg-open>Cookies</a> · <a href="#" id="prefs" data-cg-preferences>Préférences cookies</a></p>
        <script type="text/plain" data-consent="statistics">window.statsRan = true; document.cookie = '_stats=1; path=/'</script>
      </body>
      </html>
      """;
}
