package eu.consentgateway.store;

import eu.consentgateway.metrics.Meters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Whether writes go through, as the batch writers see them: readiness asks it, because PostgreSQL can answer
 * {@code SELECT 1} while the tables the beacons write to are locked or the disk is full. It also times every
 * write by writer ({@code cg_store_write_seconds}, {@code cg_store_write_rows}): a writer
 * whose seconds grow by about one a second always has its write in flight, and is what limits throughput.
 */
public final class WriteHealth {
  private final Map<Object, Long> inFlight = new ConcurrentHashMap<>();
  private final long stuckNanos;
  private final MeterRegistry metrics;
  private final Map<String, WriterMeters> meters = new ConcurrentHashMap<>();
  private volatile long lastSuccess = System.nanoTime();
  private volatile long lastFailure;

  /** A write running longer than {@code stuckAfter} counts as stuck; every write is timed in {@code metrics}. */
  public WriteHealth(Duration stuckAfter, MeterRegistry metrics) {
    this.stuckNanos = stuckAfter.toNanos();
    this.metrics = metrics;
  }

  private record WriterMeters(Timer time, DistributionSummary rows) {
  }

  void started(Object write) {
    inFlight.put(write, System.nanoTime());
  }

  /** {@code writer} is the writer's fixed name (a label value: never anything a caller sent). */
  void finished(String writer, Object write, int items, Throwable failure) {
    Long started = inFlight.remove(write);
    if (started != null) {
      WriterMeters m = meters.computeIfAbsent(writer, w -> new WriterMeters(
          Meters.timer(metrics, "cg_store_write",
              "Batched writes to PostgreSQL from their start to their commit or failure, by writer", "writer", w),
          Meters.summary(metrics, "cg_store_write_rows", "Items per batched write to PostgreSQL, by writer",
              "writer", w)));
      m.time().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      m.rows().record(items);
    }
    if (failure == null) {
      lastSuccess = System.nanoTime();
    } else if (Outages.store(failure) != null) {
      lastFailure = System.nanoTime();
    }
  }

  /** Null when writes go through; otherwise why they do not. */
  public String problem() {
    long now = System.nanoTime();
    for (long started : inFlight.values()) {
      if (now - started > stuckNanos) {
        return "a write has been waiting on PostgreSQL for more than " + Duration.ofNanos(stuckNanos).toSeconds() + " s";
      }
    }
    long failure = lastFailure;
    if (failure != 0 && failure - lastSuccess > 0 && now - failure < stuckNanos) {
      return "the latest writes failed: PostgreSQL could not take them";
    }
    return null;
  }
}
