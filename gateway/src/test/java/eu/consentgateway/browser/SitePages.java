package eu.consentgateway.browser;

import eu.consentgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A site that embeds the widget, on its own loopback origin: {@code GET /s/{siteId}} is a shop page for that
 * site, with a held-back statistics tag and a link to the preferences page; {@code GET /f/{siteId}} is the same
 * page embedding the site-specific script ({@code consent.js?site=}).
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
        req.response().putHeader("content-type", "text/html; charset=utf-8")
            .end(page.replace("GATEWAY", gatewayBase).replace("SITE", path.substring(3)));
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

  private static final String PAGE = """
      <!doctype html>
      <html lang="fr">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Boutique de test</title>
        <script src="GATEWAY/consent.js" data-site="SITE" defer></script>
      </head>
      <body>
        <h1>Boutique de test</h1>
        <p>Une page de site marchand qui intègre la bannière avec une seule balise.</p>
        <p><a href="#" id="prefs" data-cg-preferences>Préférences cookies</a></p>
        <script type="text/plain" data-consent="statistics">window.statsRan = true; document.cookie = '_stats=1; path=/'</script>
      </body>
      </html>
      """;
}
