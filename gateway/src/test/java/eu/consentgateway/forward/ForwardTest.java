package eu.consentgateway.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MmdbWriter;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.Receiver;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forwarding through the outbox to local receivers. A generated GeoIP database places 127.0.0.1 in France
 * (EU) and 127.0.0.2 in the United States, so the EU rule is exercised on real sockets.
 */
class ForwardTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static MutableClock clock = new MutableClock(T0);
  static Path geoDb;
  static Receiver receiver;
  static TestGateway gw;
  String site;

  @BeforeAll
  static void start() throws Exception {
    geoDb = Files.createTempFile("cg-forward", ".mmdb");
    new MmdbWriter()
        .add("127.0.0.0/24", MmdbWriter.city("FR", true, "IDF", "Paris"))
        .add("127.0.0.2/32", MmdbWriter.city("US", false, "WA", "Milton"))
        .add("198.51.100.0/24", MmdbWriter.city("SE", true, "E", "Linköping"))
        .write(geoDb);
    receiver = new Receiver("127.0.0.1");
    gw = TestGateway.start(TestStores.config(Map.of("CG_GEOIP_DB", geoDb.toString(), "CG_TRUSTED_PROXIES",
        "127.0.0.1/32", "CG_FORWARD_MAX_ATTEMPTS", "4")), clock);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    receiver.close();
    Files.deleteIfExists(geoDb);
  }

  @BeforeEach
  void site() {
    clock.set(T0);
    site = TestStores.uniqueSite("fwd");
    String base = "http://127.0.0.1:" + receiver.port() + "/" + site;
    JsonObject doc = TestGateway.siteDocument("https://shop.example").put("destinations", new JsonArray()
        .add(new JsonObject().put("id", "hook").put("type", "webhook").put("url", base + "/hook").put("region", "FR")
            .put("purposes", new JsonArray().add("statistics")))
        .add(new JsonObject().put("id", "matomo").put("type", "matomo").put("url", base + "/matomo.php")
            .put("region", "DE").put("siteId", 7).put("purposes", new JsonArray().add("statistics")))
        .add(new JsonObject().put("id", "plausible").put("type", "plausible").put("url", base + "/api/event")
            .put("region", "EE").put("domain", "shop.example").put("purposes", new JsonArray().add("statistics")))
        .add(new JsonObject().put("id", "ads").put("type", "webhook").put("url", base + "/ads").put("region", "FR")
            .put("purposes", new JsonArray().add("statistics").add("prospecting"))));
    var r = gw.putJson("/v1/admin/sites/" + site, doc, TestGateway.admin());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  long hits(String suffix) {
    return receiver.accepted().stream().filter(h -> h.path().equals("/" + site + suffix)).count();
  }

  long outbox() {
    return TestStores.count("SELECT count(*) FROM ops.outbox WHERE site_id = ?", site);
  }

  String token(boolean statistics) {
    return gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", statistics))).getString("token");
  }

  int collect(String token) {
    JsonObject b = new JsonObject().put("siteId", site).put("type", "pageview").put("url", "https://shop.example/cart")
        .put("eventId", UUID.randomUUID().toString()).put("screen", new JsonObject().put("w", 390).put("h", 844));
    if (token != null) {
      b.put("token", token);
    }
    return gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain", "X-Forwarded-For",
        "198.51.100.23", "Accept-Language", "sv-SE"), b.toBuffer()).statusCode();
  }

  /** Moves the gateway's clock on while waiting, so retries and backoff come due without real waiting. */
  static void await(BooleanSupplier done, Duration step) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached in 20 s");
      clock.advance(step);
      Thread.sleep(50);
    }
  }

  @Test
  void noConsentMeansNothingStoredOrForwarded() throws Exception {
    assertEquals(204, collect(null));
    assertEquals(204, collect(token(false)));
    Thread.sleep(1_200); // two forwarder rounds
    assertEquals(0, outbox());
    assertEquals(0, receiver.accepted().stream().filter(h -> h.path().startsWith("/" + site)).count());
  }

  @Test
  void consentedEventIsStoredEnrichedAndForwardedInEachFormat() throws Exception {
    assertEquals(202, collect(token(true)));
    assertEquals(1, TestStores.count("SELECT count(*) FROM terminal.events WHERE site_id = ? AND country = 'SE' "
        + "AND in_eu AND city = 'Linköping' AND language = 'sv'", site));
    await(() -> hits("/hook") == 1 && hits("/matomo.php") == 1 && hits("/api/event") == 1, Duration.ofSeconds(1));
    Receiver.Hit hook = receiver.accepted().stream().filter(h -> h.path().endsWith("/hook")).findFirst().orElseThrow();
    JsonObject event = hook.json().getJsonObject("event");
    assertEquals("https://shop.example/cart", event.getString("page"));
    assertEquals("SE", event.getString("country"));
    assertEquals(hook.json().getString("deliveryId"), hook.idempotencyKey());
    assertTrue(!hook.body().contains("198.51.100.23") && !hook.body().contains("visitor"), hook.body());
    Receiver.Hit matomo = receiver.accepted().stream().filter(h -> h.path().endsWith("/matomo.php")).findFirst()
        .orElseThrow();
    assertTrue(matomo.body().contains("idsite=7") && matomo.body().contains("rec=1")
        && matomo.body().contains("res=390x844"), matomo.body());
    JsonObject plausible = receiver.accepted().stream().filter(h -> h.path().endsWith("/api/event")).findFirst()
        .orElseThrow().json();
    assertEquals("pageview", plausible.getString("name"));
    assertEquals("shop.example", plausible.getString("domain"));
    assertEquals(0, hits("/ads"), "a destination needing prospecting gets nothing without it");
    await(() -> outbox() == 0, Duration.ofSeconds(1));
  }

  @Test
  void withdrawalBetweenCollectAndDeliveryStopsTheForward() throws Exception {
    String token = token(true);
    clock.set(T0.plus(Duration.ofHours(1))); // collected "later": its outbox rows come due then
    assertEquals(202, collect(token));
    clock.set(T0.plus(Duration.ofMinutes(1))); // before they are due, the visitor withdraws
    assertEquals(200, gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(token)).statusCode());
    assertEquals(3, outbox());
    clock.set(T0.plus(Duration.ofHours(2)));
    await(() -> outbox() == 0, Duration.ofSeconds(1));
    assertEquals(0, hits("/hook") + hits("/matomo.php") + hits("/api/event"), "nothing forwarded after withdrawal");
    String metrics = gw.metrics();
    assertTrue(metrics.contains("cg_forward_dropped_total{reason=\"consent\"}"), "drops are counted");
  }

  @Test
  void destinationDownForAWhileGetsTheEventExactlyOnceAfterItReturns() throws Exception {
    receiver.down(true);
    try {
      assertEquals(202, collect(token(true)));
      int before = receiver.refused();
      await(() -> receiver.refused() >= before + 6, Duration.ofMillis(500)); // two failed rounds for each format
    } finally {
      receiver.down(false);
    }
    await(() -> hits("/hook") >= 1 && hits("/matomo.php") >= 1 && hits("/api/event") >= 1, Duration.ofSeconds(5));
    await(() -> outbox() == 0, Duration.ofSeconds(5));
    clock.advance(Duration.ofMinutes(10));
    Thread.sleep(1_200);
    assertEquals(1, hits("/hook"), "exactly once at the receiver");
    assertEquals(1, hits("/matomo.php"));
    assertEquals(1, hits("/api/event"));
  }

  @Test
  void deliveriesThatNeverSucceedBecomeVisibleDeadLetters() throws Exception {
    String base = "http://127.0.0.1:" + receiver.port() + "/always-down/" + site;
    JsonObject doc = TestGateway.siteDocument("https://shop.example").put("destinations", new JsonArray()
        .add(new JsonObject().put("id", "broken").put("type", "webhook").put("url", base).put("region", "FR")
            .put("purposes", new JsonArray().add("statistics"))));
    assertEquals(200, gw.putJson("/v1/admin/sites/" + site, doc, TestGateway.admin()).statusCode());
    assertEquals(202, collect(token(true)));
    await(() -> TestStores.count("SELECT count(*) FROM ops.outbox WHERE site_id = ? AND status = 'dead'", site) == 1,
        Duration.ofSeconds(20));
    var dead = gw.get("/v1/admin/sites/" + site + "/deliveries/dead", TestGateway.admin());
    assertEquals(200, dead.statusCode());
    JsonArray letters = dead.bodyAsJsonObject().getJsonArray("deadLetters");
    assertEquals(1, letters.size());
    assertEquals(4, letters.getJsonObject(0).getInteger("attempts"));
    assertEquals("HTTP 503", letters.getJsonObject(0).getString("lastError"));
    assertTrue(gw.metrics().contains("cg_forward_dead_letters_total"));
  }

  @Test
  void destinationLocatedOutsideTheEuIsRefusedWhateverItDeclares() {
    JsonObject doc = TestGateway.siteDocument("https://shop.example").put("destinations", new JsonArray()
        .add(new JsonObject().put("id", "us-hook").put("type", "webhook").put("url", "http://127.0.0.2:9/hook")
            .put("region", "FR").put("purposes", new JsonArray().add("statistics"))));
    var r = gw.putJson("/v1/admin/sites/" + site, doc, TestGateway.admin());
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("destination_outside_eu", r.bodyAsJsonObject().getString("error"));
    String message = r.bodyAsJsonObject().getString("message");
    assertTrue(message.contains("us-hook") && message.contains("US"), message);
    var stored = gw.get("/v1/admin/sites/" + site, TestGateway.admin()).bodyAsJsonObject();
    assertEquals(4, stored.getJsonArray("destinations").size(), "the refused document changed nothing");
  }
}
