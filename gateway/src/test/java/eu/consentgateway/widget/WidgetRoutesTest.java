package eu.consentgateway.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The site-specific script when the site cannot be read: the page still gets a working widget. */
class WidgetRoutesTest {
  Vertx vertx;
  Pool unreachable;
  HttpServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // nothing listens on port 1: every site lookup fails as it would with PostgreSQL down
    unreachable = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1)
        .setDatabase("none").setUser("none")).using(vertx).build();
    SiteRegistry sites = new SiteRegistry(vertx, unreachable, new RedisBus(vertx, "redis://127.0.0.1:6379", "cg:widget-test:",
        java.time.Duration.ofMillis(250)),
        Clock.systemUTC());
    Router router = Router.router(vertx);
    new WidgetRoutes(sites, "http://127.0.0.1").mount(router);
    server = TestGateway.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    TestGateway.await(vertx.close());
  }

  @Test
  void siteSpecificScriptFallsBackToThePlainBundleForAShortWhileWhenTheSiteCannotBeRead() {
    WebClient client = WebClient.create(vertx);
    var plain = TestGateway.await(client.get(server.actualPort(), "127.0.0.1", "/consent.js").send());
    var specific = TestGateway.await(client.get(server.actualPort(), "127.0.0.1", "/consent.js?site=shop").send());
    assertEquals(200, specific.statusCode(), specific.bodyAsString());
    assertEquals(plain.getHeader("ETag"), specific.getHeader("ETag"), "the plain bundle");
    assertEquals(plain.bodyAsString(), specific.bodyAsString());
    assertTrue(specific.bodyAsString().contains(WidgetRoutes.CONFIG_MARK), "no config inside: the widget fetches it");
    assertEquals("public, max-age=60", specific.getHeader("Cache-Control"), "not the plain bundle's 5 minutes");
  }
}
