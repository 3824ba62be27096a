package eu.consentgateway.demo;

import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** With {@code CG_DEMO=true}: a demo site and a page at {@code /demo} that embeds the banner. */
public final class DemoRoutes {
  public static final String SITE_ID = "demo";

  private final SiteRegistry sites;
  private final int port;
  private final String publicUrl;

  public DemoRoutes(SiteRegistry sites, int port, String publicUrl) {
    this.sites = sites;
    this.port = port;
    this.publicUrl = publicUrl;
  }

  public Future<Void> seed() {
    JsonObject labels = new JsonObject().put("en", "Audience measurement").put("fr", "Mesure d'audience");
    JsonObject prospecting = new JsonObject().put("en", "Prospecting").put("fr", "Prospection");
    JsonObject site = new JsonObject()
        .put("name", "Consent Gateway demo shop")
        .put("origins", new JsonArray().add(publicUrl).add("http://localhost:" + port).add("http://127.0.0.1:" + port))
        .put("policy", new JsonObject().put("version", "2026-11").put("url", publicUrl + "/demo"))
        .put("locales", new JsonArray().add("fr").add("en"))
        .put("purposes", new JsonArray()
            .add(new JsonObject().put("id", "statistics").put("labels", labels)
                .put("descriptions", new JsonObject()
                    .put("en", "Counts visits anonymously to improve the shop.")
                    .put("fr", "Compte les visites de façon anonyme pour améliorer la boutique."))
                .put("cookies", new JsonArray().add("_demo_stats")))
            .add(new JsonObject().put("id", "prospecting").put("labels", prospecting)
                .put("descriptions", new JsonObject()
                    .put("en", "Lets us show you offers on other sites.")
                    .put("fr", "Nous permet de vous montrer des offres sur d'autres sites."))));
    // re-seeded at each start so its origins follow CG_HTTP_PORT
    return sites.seed(SITE_ID, site).mapEmpty();
  }

  public void mount(Router router) {
    // a shop page embedding the widget, for newcomers and the browser tests
    router.get("/demo").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
        .end(PAGE));
  }

  private static final String PAGE = """
      <!doctype html>
      <html lang="fr">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Boutique de démonstration</title>
        <script src="/consent.js" data-site="demo" defer></script>
      </head>
      <body>
        <h1>Boutique de démonstration</h1>
        <p>Cette page intègre la bannière de Consent Gateway avec une seule balise script.</p>
        <p><a href="#" data-cg-open>Préférences cookies</a> · <a href="#" data-cg-preferences>Gérer mes données</a></p>
        <p id="stats-status">Mesure d'audience : inactive</p>
        <script type="text/plain" data-consent="statistics">
          document.getElementById('stats-status').textContent = "Mesure d'audience : active";
        </script>
      </body>
      </html>
      """;
}
