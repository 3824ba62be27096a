package eu.consentgateway.limit;

import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import eu.consentgateway.metrics.Meters;
import eu.consentgateway.store.RedisBus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per minute per client address prefix, counted for the whole deployment in Redis as a sliding window
 * (the current minute plus the previous one weighted by how much of it still overlaps). Decisions are taken in
 * memory; every {@link #SYNC_MS} the counts of active prefixes are added to Redis and the deployment-wide totals
 * read back in one round trip, so a limit costs no Redis call per request. Without Redis each instance counts
 * alone. The set of prefixes remembered is bounded.
 */
public final class RateLimiter {
  /** What is limited; the name is the metric label and part of the Redis key. */
  public enum Bucket {
    CONSENTS("consents"), NOTICES("notices"), COLLECT("collect"), AUTH_FAILURES("auth_failures");

    final String label;

    Bucket(String label) {
      this.label = label;
    }
  }

  /** Allowed, or refused with the seconds after which the caller may try again. */
  public record Decision(boolean allowed, long retryAfterSeconds) {
    static final Decision ALLOWED = new Decision(true, 0);
  }

  static final long WINDOW_MS = 60_000;
  static final long SYNC_MS = 250;
  private static final int MAX_TRACKED = 100_000;

  private final RedisBus redis;
  private final LongSupplier clockMs;
  private final Map<Bucket, Integer> limits;
  private final Map<Bucket, Counter> refused = new EnumMap<>(Bucket.class);
  private final Cache<String, Window> windows = Caches.builder().maximumSize(MAX_TRACKED)
      .expireAfterAccess(Duration.ofMillis(3 * WINDOW_MS)).build();
  private final Map<String, Window> dirty = new ConcurrentHashMap<>();
  private volatile boolean syncing;

  public RateLimiter(RedisBus redis, Map<Bucket, Integer> limits, MeterRegistry metrics, LongSupplier clockMs) {
    this.redis = redis;
    this.limits = Map.copyOf(limits);
    this.clockMs = clockMs;
    for (Bucket b : Bucket.values()) {
      refused.put(b, Meters.counter(metrics, "cg_rate_limited_total",
          "Requests refused with 429 because their client prefix exceeded a per-minute limit", "bucket", b.label));
    }
  }

  /** Starts the periodic exchange with Redis. */
  public long start(Vertx vertx) {
    return vertx.setPeriodic(SYNC_MS, id -> sync());
  }

  /** Counts one request of {@code client} and says whether it is within the limit. */
  public Decision acquire(Bucket bucket, String client) {
    return decide(bucket, client, true);
  }

  /** Whether {@code client} is already over the limit, without counting anything. */
  public Decision check(Bucket bucket, String client) {
    return decide(bucket, client, false);
  }

  /** Counts one event (a failed authentication) without deciding anything. */
  public void record(Bucket bucket, String client) {
    if (limit(bucket) > 0) {
      window(bucket, client).add(clockMs.getAsLong());
    }
  }

  /** How many events {@code client} has in the sliding window now (for back-off). */
  public long recent(Bucket bucket, String client) {
    return limit(bucket) <= 0 ? 0 : window(bucket, client).estimate(clockMs.getAsLong());
  }

  private Decision decide(Bucket bucket, String client, boolean count) {
    int limit = limit(bucket);
    if (limit <= 0) {
      return Decision.ALLOWED;
    }
    long now = clockMs.getAsLong();
    Window w = window(bucket, client);
    long retry = w.tryTake(now, limit, count);
    if (retry == 0) {
      return Decision.ALLOWED;
    }
    refused.get(bucket).increment();
    return new Decision(false, retry);
  }

  private int limit(Bucket bucket) {
    return limits.getOrDefault(bucket, 0);
  }

  private Window window(Bucket bucket, String client) {
    String id = bucket.label + ":" + (client == null ? "unknown" : client);
    Window w = windows.get(id, k -> new Window(k));
    dirty.put(id, w);
    return w;
  }

  /** One round trip: add what this instance counted, read back the deployment's totals. */
  void sync() {
    if (syncing || dirty.isEmpty()) {
      return;
    }
    List<Window> batch = new ArrayList<>(dirty.values());
    dirty.clear();
    long now = clockMs.getAsLong();
    List<Request> requests = new ArrayList<>(batch.size() * 3);
    long[] sent = new long[batch.size()];
    long[] index = new long[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Window w = batch.get(i);
      index[i] = now / WINDOW_MS;
      sent[i] = w.drain(now);
      String current = redis.key("rl:" + w.id + ":" + index[i]);
      requests.add(Request.cmd(Command.INCRBY).arg(current).arg(sent[i]));
      requests.add(Request.cmd(Command.PEXPIRE).arg(current).arg(2 * WINDOW_MS + 5_000));
      requests.add(Request.cmd(Command.GET).arg(redis.key("rl:" + w.id + ":" + (index[i] - 1))));
    }
    syncing = true;
    redis.batch(requests).onComplete(ar -> {
      syncing = false;
      if (ar.failed()) {
        return; // counts stay local: each instance limits on its own until Redis answers
      }
      List<Response> replies = ar.result();
      for (int i = 0; i < batch.size(); i++) {
        Response total = replies.get(3 * i);
        Response previous = replies.get(3 * i + 2);
        batch.get(i).learn(index[i], total == null ? 0 : total.toLong(), previous == null ? 0 : previous.toLong());
      }
    });
  }

  /** One bucket and prefix: counts for the current and previous minute, this instance's not yet sent. */
  static final class Window {
    final String id;
    private long index = -1;
    private long current;   // deployment-wide count of the current minute, as last known (ours included)
    private long previous;  // same for the minute before
    private long unsent;    // ours, not yet added to Redis

    Window(String id) {
      this.id = id;
    }

    private void roll(long now) {
      long i = now / WINDOW_MS;
      if (i == index) {
        return;
      }
      previous = i == index + 1 ? current + unsent : 0;
      current = 0;
      unsent = 0;
      index = i;
    }

    synchronized long estimate(long now) {
      roll(now);
      double overlap = 1.0 - (double) (now % WINDOW_MS) / WINDOW_MS;
      return current + unsent + (long) Math.floor(previous * overlap);
    }

    /** 0 when taken (or within the limit), otherwise the seconds to wait. */
    synchronized long tryTake(long now, int limit, boolean count) {
      if (estimate(now) >= limit) {
        // the previous minute's weight falls linearly; the current one clears at the end of the window after next
        long untilNextWindow = WINDOW_MS - now % WINDOW_MS;
        return Math.max(1, (current + unsent >= limit ? untilNextWindow + WINDOW_MS : untilNextWindow) / 1000);
      }
      if (count) {
        unsent++;
      }
      return 0;
    }

    synchronized void add(long now) {
      roll(now);
      unsent++;
    }

    synchronized long drain(long now) {
      roll(now);
      long n = unsent;
      current += n;
      unsent = 0;
      return n;
    }

    synchronized void learn(long sentIndex, long total, long before) {
      if (sentIndex != index) {
        return;
      }
      current = Math.max(current, total);
      previous = Math.max(previous, before);
    }
  }
}
