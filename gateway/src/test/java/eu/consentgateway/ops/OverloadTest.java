package eu.consentgateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.GatewayProcess;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Far more concurrency than it can serve: the gateway sheds with 503, stays alive, and its heap stays small. */
class OverloadTest {
  static final int CONNECTIONS = 3_000;
  static final long FLOOD_MS = 5_000;

  @Test
  void thousandsOfConnectionsGet503WithRetryAfterWhileLivenessAnswers() throws Exception {
    try (GatewayProcess gw = GatewayProcess.start(Map.of("CG_MAX_IN_FLIGHT", "256"))) {
      Vertx vertx = Vertx.vertx();
      Vertx probes = Vertx.vertx();
      try {
        WebClient admin = WebClient.create(vertx);
        String site = TestStores.uniqueSite("overload");
        var created = TestGateway.await(admin.put(gw.port(), "127.0.0.1", "/v1/admin/sites/" + site)
            .putHeader("Authorization", "Bearer " + TestStores.ADMIN_TOKEN)
            .sendJsonObject(TestGateway.siteDocument("https://shop.example")));
        assertEquals(200, created.statusCode(), created.bodyAsString());
        Buffer consent = TestGateway.consentBody(site, "reject_all", Map.of()).toBuffer();
        // the probes have their own event loop (the flood's are busy) and their connections are open before the
        // flood, as a load balancer's and a monitoring system's would be
        WebClient probe = WebClient.create(probes);
        assertEquals(200, TestGateway.await(probe.get(gw.port(), "127.0.0.1", "/health/live").send()).statusCode());
        assertEquals(200, TestGateway.await(probe.get(gw.managementPort(), "127.0.0.1", "/metrics").send())
            .statusCode());

        HttpClient flood = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(gw.port()).setKeepAlive(true).setConnectTimeout(10_000),
            new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger badOverload = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        long end = System.currentTimeMillis() + FLOOD_MS;
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
          if (System.currentTimeMillis() > end) {
            return;
          }
          inFlight.incrementAndGet();
          flood.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/consents")
                  .putHeader("Content-Type", "application/json"))
              .compose(req -> req.send(consent))
              .compose(resp -> resp.body().map(body -> {
                statuses.computeIfAbsent(resp.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                if (resp.statusCode() == 503 && !retryLater(resp.getHeader("Retry-After"), body.toString())) {
                  badOverload.incrementAndGet();
                }
                return null;
              }))
              .onComplete(ar -> {
                if (ar.failed()) {
                  failures.incrementAndGet();
                }
                inFlight.decrementAndGet();
                vertx.runOnContext(v -> loop[0].run());
              });
        };
        vertx.runOnContext(v -> {
          for (int i = 0; i < CONNECTIONS; i++) {
            loop[0].run();
          }
        });

        // meanwhile, liveness answers quickly, and the heap is read from the gateway's own metrics
        AtomicLong slowestLive = new AtomicLong();
        double heapMax = 0;
        int probed = 0;
        while (System.currentTimeMillis() < end) {
          long t = System.nanoTime();
          var live = TestGateway.await(probe.get(gw.port(), "127.0.0.1", "/health/live").timeout(3_000).send());
          assertEquals(200, live.statusCode());
          slowestLive.set(Math.max(slowestLive.get(), (System.nanoTime() - t) / 1_000_000));
          String metrics = TestGateway.await(probe.get(gw.managementPort(), "127.0.0.1", "/metrics").timeout(5_000)
              .send()).bodyAsString();
          heapMax = Math.max(heapMax, heapUsed(metrics));
          probed++;
          Thread.sleep(300);
        }
        // every request sent has its answer (or its failure) before anything is counted
        for (int i = 0; i < 100 && inFlight.get() > 0; i++) {
          TestGateway.await(vertx.timer(200));
        }

        int shed = statuses.getOrDefault(503, new AtomicInteger()).get();
        int served = statuses.getOrDefault(201, new AtomicInteger()).get();
        assertTrue(shed > 0, "no request was shed: " + statuses);
        assertTrue(served > 0, "nothing was served: " + statuses);
        assertEquals(Map.of(), Map.copyOf(statuses).entrySet().stream()
            .filter(e -> e.getKey() != 201 && e.getKey() != 503)
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())),
            "only 201 and 503");
        assertEquals(0, badOverload.get(), "every 503 carries Retry-After and the error body");
        assertTrue(probed >= 3 && slowestLive.get() < 3_000, "liveness took " + slowestLive.get() + " ms");
        assertTrue(heapMax > 0 && heapMax < 256 * 1024 * 1024, "heap used " + heapMax);
        assertTrue(gw.alive());
        assertFalse(gw.output().contains("OutOfMemoryError"), gw.output());
        // a request the client gave up on (timeout, closed connection) may have committed before it went: it
        // may be a row; a 201 must be one, and a 503 never is
        long rows = TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site);
        assertTrue(rows >= served && rows <= served + failures.get(), "every 201 is a row, and no shed request"
            + " wrote one: " + rows + " rows, " + served + " answers 201, " + failures.get() + " client failures");
      } finally {
        TestGateway.await(vertx.close());
        TestGateway.await(probes.close());
      }
    }
  }

  static double heapUsed(String metrics) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /**
   * A 503 that says to come back: Retry-After and the error body, shed at the door ("overloaded") or taken in and
   * then past a store timeout or the request deadline on a machine this loaded ("unavailable").
   */
  private static boolean retryLater(String retryAfter, String body) {
    try {
      JsonObject error = new JsonObject(body);
      return retryAfter != null && Set.of("overloaded", "unavailable").contains(error.getString("error"))
          && error.getString("message") != null;
    } catch (RuntimeException notJson) {
      return false;
    }
  }
}
