package eu.consentgateway.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.config.PgUrl;
import eu.consentgateway.support.BeaconLoad;
import eu.consentgateway.support.LogCapture;
import eu.consentgateway.support.OwnPostgres;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * PostgreSQL failing under a steady load, on a cluster of the test's own: restarted (fast and immediate),
 * stopped, a table locked. No 202 or 201 is ever given for a write that is not stored, outages are 503 with
 * Retry-After within bounded time (never 500, never a silent 204), and the gateway recovers without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresFaultTest {
  static final String DB = "cg_fault";
  static OwnPostgres pg;
  static PgUrl url;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    pg = OwnPostgres.create();
    url = pg.pgUrl(DB);
    gw = TestGateway.start(TestStores.config(Map.of("CG_PG_URL", pg.url(DB), "CG_PG_QUERY_TIMEOUT_MS", "1000",
        "CG_PG_CONNECT_TIMEOUT_MS", "1000", "CG_REQUEST_TIMEOUT_SECONDS", "3")), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  record Visitor(String site, String token) {
  }

  static Visitor visitor() {
    String site = TestStores.uniqueSite("fault");
    gw.createSite(site);
    return new Visitor(site, gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true)))
        .getString("token"));
  }

  static HttpResponse<Buffer> beacon(Visitor v, UUID eventId) {
    JsonObject b = new JsonObject().put("siteId", v.site()).put("type", "pageview").put("token", v.token())
        .put("url", "https://shop.example/").put("eventId", eventId.toString());
    return gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type", "text/plain"), b.toBuffer());
  }

  /** Beacons until one is stored: the gateway came back by itself. */
  static void awaitRecovery(Visitor v) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    int status = 0;
    while (System.nanoTime() < end && status != 202) {
      status = beacon(v, UUID.randomUUID()).statusCode();
      Thread.sleep(200);
    }
    assertEquals(202, status, "the gateway did not recover within 20 s");
  }

  @Test
  void restartsFastAndImmediateUnderLoadLoseNoAcknowledgedWrite() throws Exception {
    Visitor v = visitor();
    List<UUID> consents = new ArrayList<>();
    CompletableFuture<Void> consenting;
    try (BeaconLoad load = BeaconLoad.start(gw.port(), v.site(), v.token(), 8)) {
      consenting = CompletableFuture.runAsync(() -> {
        long end = System.nanoTime() + 9_000_000_000L;
        while (System.nanoTime() < end) {
          var r = gw.postJson("/v1/consents", TestGateway.consentBody(v.site(), "reject_all", Map.of()), Map.of());
          if (r.statusCode() == 201) {
            consents.add(UUID.fromString(r.bodyAsJsonObject().getString("consentId")));
          } else {
            assertEquals(503, r.statusCode(), r.bodyAsString());
          }
        }
      });
      Thread.sleep(1_500);
      pg.restart("fast");
      Thread.sleep(2_500);
      pg.restart("immediate");
      Thread.sleep(3_000);
      load.stop();
      consenting.get();
      assertTrue(load.count(202) > 100, load.statuses().toString());
      assertTrue(Set.of(202, 503).containsAll(load.statuses().keySet()), "only 202 or 503: " + load.statuses());
      List<UUID> lost = BeaconLoad.missing(load.accepted(), TestStores.eventIds(url, v.site()));
      assertEquals(List.of(), lost, "acknowledged with 202 but not stored");
    }
    for (UUID id : consents) {
      assertEquals(1, TestStores.count(url, "SELECT count(*) FROM consent.events WHERE consent_id = ?::uuid",
          id.toString()), "acknowledged with 201 but not stored: " + id);
    }
    awaitRecovery(v);
  }

  @Test
  @Order(1) // the first outage this gateway sees, so its one log line is this test's
  void aStoppedPostgresIsA503NeverA204OrA500AndOneLogLine() throws Exception {
    Visitor v = visitor();
    String uncachedSite = TestStores.uniqueSite("fault-uncached");
    gw.createSite(uncachedSite);
    Thread.sleep(eu.consentgateway.site.SiteRegistry.KEPT.toMillis() + 500); // the site cache forgets it
    pg.stop("fast");
    try (LogCapture log = LogCapture.everything()) {
      List<HttpResponse<Buffer>> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(beacon(v, UUID.randomUUID())); // a valid token this instance never checked
        answers.add(gw.postJson("/v1/consents", TestGateway.consentBody(v.site(), "reject_all", Map.of()), Map.of()));
        answers.add(gw.get("/v1/sites/" + uncachedSite + "/config", Map.of()));
      }
      for (HttpResponse<Buffer> r : answers) {
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertEquals("unavailable", r.bodyAsJsonObject().getString("error"));
        assertTrue(Integer.parseInt(r.getHeader("Retry-After")) > 0);
      }
      assertEquals(0, log.stackTraces(), log.text());
      long lines = log.text().lines().filter(l -> l.contains("store unavailable")).count();
      assertEquals(1, lines, "one line per outage:\n" + log.text());
    } finally {
      pg.start();
    }
    assertTrue(gw.metric("cg_store_unavailable_total{store=\"postgresql\"}") >= 30);
    awaitRecovery(v);
  }

  @Test
  void aLockedTableIsAnsweredInBoundedTimeAndTurnsReadinessOff() throws Exception {
    Visitor v = visitor();
    assertEquals(202, beacon(v, UUID.randomUUID()).statusCode());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("LOCK TABLE terminal.events IN ACCESS EXCLUSIVE MODE");
      long slowest = 0;
      for (int i = 0; i < 5; i++) {
        long t = System.nanoTime();
        var r = beacon(v, UUID.randomUUID());
        slowest = Math.max(slowest, (System.nanoTime() - t) / 1_000_000);
        assertEquals(503, r.statusCode(), r.bodyAsString());
      }
      assertTrue(slowest < 2_500, "a locked table held a beacon " + slowest + " ms");
      assertEquals(503, gw.get("/health/ready", Map.of()).statusCode(), "collect is stalled: not ready");
      c.rollback();
    }
    awaitRecovery(v);
    assertEquals(200, gw.get("/health/ready", Map.of()).statusCode());
  }

  @Test
  void aFrozenServerIsAnsweredWithin503InBoundedTimeAndTheGatewayRecovers() throws Exception {
    Visitor v = visitor();
    assertEquals(202, beacon(v, UUID.randomUUID()).statusCode());
    pg.freeze();
    try {
      long slowest = 0;
      for (int i = 0; i < 3; i++) {
        long t = System.nanoTime();
        var r = beacon(v, UUID.randomUUID());
        slowest = Math.max(slowest, (System.nanoTime() - t) / 1_000_000);
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertTrue(Integer.parseInt(r.getHeader("Retry-After")) > 0);
      }
      // CG_REQUEST_TIMEOUT_SECONDS=3 here, and the front door looks once a second
      assertTrue(slowest < 5_000, "a frozen PostgreSQL held a beacon " + slowest + " ms");
      assertEquals(503, gw.get("/health/ready", Map.of()).statusCode(), "not ready while PostgreSQL is frozen");
    } finally {
      pg.thaw();
    }
    awaitRecovery(v);
  }

  @Test
  void aRetryWhileTheFirstAttemptIsStuckIsAcknowledgedOnlyOnceStored() throws Exception {
    Visitor v = visitor();
    UUID id = UUID.randomUUID();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("LOCK TABLE terminal.events IN ACCESS EXCLUSIVE MODE");
      // the first attempt waits on the lock and times out; the retry, sent meanwhile, must not be taken for done
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> beacon(v, id).statusCode());
      Thread.sleep(500);
      CompletableFuture<Integer> retry = CompletableFuture.supplyAsync(() -> beacon(v, id).statusCode());
      Thread.sleep(700);
      c.rollback(); // the lock goes after the first attempt gave up, while the retry still waits
      int a = first.get();
      int b = retry.get();
      long stored = TestStores.count(url, "SELECT count(*) FROM terminal.events WHERE event_id = ?::uuid",
          id.toString());
      if (a == 202 || b == 202) {
        assertEquals(1, stored, "acknowledged (" + a + ", " + b + ") but not stored");
      }
      assertTrue(Set.of(202, 503).contains(a) && Set.of(202, 503).contains(b), a + ", " + b);
    }
    assertEquals(202, beacon(v, id).statusCode(), "a later retry is stored or known stored");
    assertEquals(1, TestStores.count(url, "SELECT count(*) FROM terminal.events WHERE event_id = ?::uuid",
        id.toString()));
  }
}
