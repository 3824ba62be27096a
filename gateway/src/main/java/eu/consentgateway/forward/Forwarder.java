package eu.consentgateway.forward;

import eu.consentgateway.consent.Overrides;
import eu.consentgateway.metrics.Meters;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox at least once: claims due rows, drops those whose subject no longer consents,
 * re-checks that the destination is still in the EU, then sends with retries, exponential backoff,
 * a circuit breaker per destination and dead letters after the last attempt.
 */
public final class Forwarder {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
  private static final int BATCH = 200;
  private static final int PARALLEL = 8;
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration PAUSE = Duration.ofSeconds(60);
  private static final Duration VERDICT_TTL = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final ForwardStore store;
  private final SiteRegistry sites;
  private final EuLocator eu;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final int maxAttempts;
  private final WebClient client;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
  private final Map<String, String> paused = new ConcurrentHashMap<>();
  private final Map<String, CachedVerdict> verdicts = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private volatile Overrides overrides = Overrides.NONE;
  private volatile Future<Integer> running = Future.succeededFuture(0);

  public Forwarder(Vertx vertx, io.vertx.sqlclient.Pool pool, SiteRegistry sites, EuLocator eu, Clock clock,
      MeterRegistry metrics, int maxAttempts) {
    this.vertx = vertx;
    this.store = new ForwardStore(pool);
    this.sites = sites;
    this.eu = eu;
    this.clock = clock;
    this.metrics = metrics;
    this.maxAttempts = maxAttempts;
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent(Formats.USER_AGENT)
        .setConnectTimeout(3_000).setIdleTimeout(30));
  }

  ForwardStore store() {
    return store;
  }

  /** Purposes refused whatever the banner said (an account holder's opposition); set once at start-up. */
  public void overrides(Overrides overrides) {
    this.overrides = overrides;
  }

  public void start() {
    schedule(200);
  }

  public Future<Void> stop() {
    stopped = true;
    return running.<Void>mapEmpty().recover(e -> Future.succeededFuture()).eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  /** Why a destination is paused (it resolved outside the EU), if it is. */
  Optional<String> pausedBecause(String siteId, String destinationId) {
    return Optional.ofNullable(paused.get(siteId + "/" + destinationId));
  }

  Instant breakerOpenUntil(String siteId, String destinationId) {
    return breaker(siteId + "/" + destinationId).openUntil();
  }

  private void schedule(long delayMs) {
    if (stopped) {
      return;
    }
    vertx.setTimer(Math.max(1, delayMs), id -> {
      running = poll();
      running.onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("outbox poll failed [reason={}]", ar.cause().getMessage());
        }
        schedule(ar.succeeded() && ar.result() == BATCH ? 1 : 500);
      });
    });
  }

  /** One round: returns how many rows it claimed. */
  Future<Integer> poll() {
    Instant now = clock.instant();
    return store.claim(now, now.plus(LEASE), BATCH).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture(0);
      }
      return store.consentNow(rows.stream().map(ForwardStore.Claimed::consentId).distinct().toList())
          .compose(consents -> {
            Map<String, List<ForwardStore.Claimed>> byDestination = new LinkedHashMap<>();
            List<Future<Void>> settled = new ArrayList<>();
            for (ForwardStore.Claimed row : rows) {
              settled.add(sites.find(row.siteId()).compose(site -> {
                Optional<JsonObject> destination = site.flatMap(s -> destination(s, row.destinationId()));
                if (destination.isEmpty()) {
                  return drop(row, "destination_removed");
                }
                if (!stillConsented(site.get(), row, consents.get(row.consentId()), now, overrides)) {
                  return drop(row, "consent");
                }
                synchronized (byDestination) {
                  byDestination.computeIfAbsent(row.siteId() + "/" + row.destinationId(), k -> new ArrayList<>()).add(row);
                }
                return Future.succeededFuture();
              }));
            }
            return Future.join(settled).compose(v -> {
              List<Future<Void>> sent = new ArrayList<>();
              byDestination.forEach((key, list) -> sent.add(deliverAll(key, list)));
              return Future.join(sent);
            }).map(v -> rows.size());
          });
    });
  }

  private static Optional<JsonObject> destination(Site site, String id) {
    for (Object o : site.destinations()) {
      JsonObject d = (JsonObject) o;
      if (id.equals(d.getString("id"))) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static boolean stillConsented(Site site, ForwardStore.Claimed row, ForwardStore.ConsentNow now, Instant at,
      Overrides overrides) {
    if (now == null || !at.isBefore(now.expiresAt()) || now.periodStart().isBefore(site.renewAfter())) {
      return false;
    }
    java.util.Set<String> refused = overrides.refused(site.id(), now.subjectId());
    return row.purposes().stream().allMatch(p -> Boolean.TRUE.equals(now.choices().get(p)) && !refused.contains(p));
  }

  private Future<Void> drop(ForwardStore.Claimed row, String reason) {
    Meters.counter(metrics, "cg_forward_dropped_total",
        "Outbox deliveries dropped before sending (consent withdrawn or expired, destination removed), by reason",
        "reason", reason).increment();
    return store.delivered(row.id());
  }

  private Future<Void> deliverAll(String key, List<ForwardStore.Claimed> rows) {
    ForwardStore.Claimed first = rows.get(0);
    return sites.require(first.siteId()).compose(site -> {
      JsonObject destination = destination(site, first.destinationId()).orElseThrow();
      return verdict(URI.create(destination.getString("url")).getHost()).compose(verdict -> {
        if (!verdict.eu()) {
          if (paused.put(key, verdict.reason()) == null) {
            LOG.warn("destination paused: no longer inside the EU [destination={}] [reason={}]", key, verdict.reason());
          }
          Meters.counter(metrics, "cg_forward_paused_total",
              "Deliveries postponed because their destination no longer resolves inside the EU", "destination", key)
              .increment(rows.size());
          Instant later = clock.instant().plus(PAUSE);
          return Future.join(rows.stream().map(r -> store.postpone(r.id(), later, "paused: " + verdict.reason()))
              .toList()).mapEmpty();
        }
        paused.remove(key);
        return inChunks(key, destination, rows, 0);
      });
    });
  }

  private Future<Void> inChunks(String key, JsonObject destination, List<ForwardStore.Claimed> rows, int from) {
    if (from >= rows.size()) {
      return Future.succeededFuture();
    }
    Breaker breaker = breaker(key);
    Instant now = clock.instant();
    if (breaker.open(now)) {
      Instant retryAt = breaker.openUntil();
      return Future.join(rows.subList(from, rows.size()).stream()
          .map(r -> store.postpone(r.id(), retryAt, "circuit open")).toList()).mapEmpty();
    }
    // while the breaker is half-open after a rest, a single delivery probes the destination
    int size = breaker.openUntil().equals(Instant.MIN) ? PARALLEL : 1;
    List<ForwardStore.Claimed> chunk = rows.subList(from, Math.min(rows.size(), from + size));
    return Future.join(chunk.stream().map(r -> deliver(key, destination, r)).toList())
        .compose(v -> inChunks(key, destination, rows, from + chunk.size()));
  }

  private Future<Void> deliver(String key, JsonObject destination, ForwardStore.Claimed row) {
    Formats.Outgoing out = Formats.of(destination, row.siteId(), row.deliveryId().toString(), row.payload());
    var request = client.postAbs(out.url()).timeout(5_000).putHeader("Idempotency-Key", row.deliveryId().toString());
    var response = out.form() != null ? request.sendForm(out.form()) : request.sendJsonObject(out.json());
    Breaker breaker = breaker(key);
    return response.transform(ar -> {
      Instant now = clock.instant();
      if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
        breaker.success();
        Meters.counter(metrics, "cg_forward_delivered_total", "Events delivered to a destination",
            "destination", key).increment();
        return store.delivered(row.id());
      }
      breaker.failure(now);
      String error = ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().getClass().getSimpleName();
      int attempts = row.attempts() + 1;
      boolean dead = attempts >= maxAttempts;
      if (dead) {
        Meters.counter(metrics, "cg_forward_dead_letters_total",
            "Deliveries given up after their last attempt", "destination", key).increment();
        LOG.warn("delivery dead-lettered [destination={}] [attempts={}] [error={}]", key, attempts, error);
      } else {
        Meters.counter(metrics, "cg_forward_failures_total", "Delivery attempts that failed and will be retried",
            "destination", key).increment();
      }
      return store.failed(row.id(), attempts, now.plus(backoff(attempts)), error, dead);
    });
  }

  /** 1 s, 2 s, 4 s … capped at one hour. */
  static Duration backoff(int attempts) {
    long seconds = 1L << Math.min(attempts - 1, 12);
    return Duration.ofSeconds(Math.min(seconds, 3600));
  }

  /** A verdict holds for a few minutes (DNS may move) and only while the same GeoIP database is loaded. */
  private record CachedVerdict(long atMs, int generation, EuLocator.Verdict verdict) {
  }

  private Future<EuLocator.Verdict> verdict(String host) {
    long nowMs = System.currentTimeMillis();
    int generation = eu.generation();
    CachedVerdict cached = verdicts.get(host);
    if (cached != null && cached.generation() == generation && nowMs - cached.atMs() < VERDICT_TTL.toMillis()) {
      return Future.succeededFuture(cached.verdict());
    }
    return eu.check(host).onSuccess(v -> verdicts.put(host, new CachedVerdict(nowMs, generation, v)));
  }

  private Breaker breaker(String key) {
    return breakers.computeIfAbsent(key, k -> new Breaker());
  }
}
