package eu.consentgateway.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether writes go through, as the batch writers see them: readiness asks it, because PostgreSQL can answer
 * {@code SELECT 1} while the tables the beacons write to are locked or the disk is full.
 */
public final class WriteHealth {
  private final Map<Object, Long> inFlight = new ConcurrentHashMap<>();
  private final long stuckNanos;
  private volatile long lastSuccess = System.nanoTime();
  private volatile long lastFailure;

  /** A write running longer than {@code stuckAfter} counts as stuck. */
  public WriteHealth(Duration stuckAfter) {
    this.stuckNanos = stuckAfter.toNanos();
  }

  void started(Object write) {
    inFlight.put(write, System.nanoTime());
  }

  void finished(Object write, Throwable failure) {
    inFlight.remove(write);
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
