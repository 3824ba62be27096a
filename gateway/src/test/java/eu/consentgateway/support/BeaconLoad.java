package eu.consentgateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady beacon load for fault tests: a few clients in closed loops, each beacon with a fresh eventId, the id
 * of every 202 recorded so the test can prove afterwards that each one is in the database.
 */
public final class BeaconLoad implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;
  private final String site;
  private final String token;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Set<UUID> accepted = ConcurrentHashMap.newKeySet();
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong slowestMs = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();

  private BeaconLoad(int port, String site, String token, int clients) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setConnectTimeout(2_000), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(clients));
    this.site = site;
    this.token = token;
    for (int i = 0; i < clients; i++) {
      vertx.runOnContext(v -> next());
    }
  }

  /** Starts {@code clients} loops posting consented page views of {@code site} to the gateway on {@code port}. */
  public static BeaconLoad start(int port, String site, String token, int clients) {
    return new BeaconLoad(port, site, token, clients);
  }

  private void next() {
    if (!running.get()) {
      return;
    }
    UUID id = UUID.randomUUID();
    JsonObject beacon = new JsonObject().put("siteId", site).put("type", "pageview").put("token", token)
        .put("url", "https://shop.example/p/" + (id.hashCode() & 63)).put("eventId", id.toString());
    long start = System.nanoTime();
    inFlight.incrementAndGet();
    client.post("/v1/collect").putHeader("Content-Type", "text/plain").timeout(30_000)
        .sendBuffer(beacon.toBuffer()).onComplete(ar -> {
          inFlight.decrementAndGet();
          long ms = (System.nanoTime() - start) / 1_000_000;
          slowestMs.accumulateAndGet(ms, Math::max);
          if (ar.succeeded()) {
            statuses.computeIfAbsent(ar.result().statusCode(), k -> new AtomicLong()).incrementAndGet();
            if (ar.result().statusCode() == 202) {
              accepted.add(id);
            }
          } else {
            failures.incrementAndGet();
          }
          // a short pause after an error, as a page's retry would
          vertx.setTimer(ar.succeeded() && ar.result().statusCode() == 202 ? 1 : 50, t -> next());
        });
  }

  /** Stops sending and waits (bounded) for the answers in flight. */
  public void stop() {
    running.set(false);
    long end = System.nanoTime() + 35_000_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < end) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public Set<UUID> accepted() {
    return Set.copyOf(accepted);
  }

  public long count(int status) {
    AtomicLong n = statuses.get(status);
    return n == null ? 0 : n.get();
  }

  /** Every status seen, for messages. */
  public Map<Integer, Long> statuses() {
    Map<Integer, Long> out = new java.util.TreeMap<>();
    statuses.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public long failures() {
    return failures.get();
  }

  public long slowestMs() {
    return slowestMs.get();
  }

  /** The recorded ids missing from what {@code stored} says is in the database. */
  public static List<UUID> missing(Set<UUID> recorded, Set<UUID> stored) {
    return recorded.stream().filter(id -> !stored.contains(id)).toList();
  }

  @Override
  public void close() {
    stop();
    client.close();
    TestGateway.await(vertx.close());
  }
}
