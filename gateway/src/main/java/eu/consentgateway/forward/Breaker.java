package eu.consentgateway.forward;

import java.time.Duration;
import java.time.Instant;

/** A per-destination circuit breaker: after a few failures in a row the destination rests for a while. */
final class Breaker {
  static final int THRESHOLD = 3;
  static final Duration REST = Duration.ofSeconds(30);

  private int failures;
  private Instant openUntil = Instant.MIN;

  synchronized boolean open(Instant now) {
    return now.isBefore(openUntil);
  }

  synchronized Instant openUntil() {
    return openUntil;
  }

  synchronized void success() {
    failures = 0;
    openUntil = Instant.MIN;
  }

  synchronized void failure(Instant now) {
    failures++;
    if (failures >= THRESHOLD) {
      openUntil = now.plus(REST);
    }
  }
}
