package eu.consentgateway.bench;

import io.vertx.core.http.HttpMethod;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run's fixed parameters, shared by every lane: where to send, the measured window in
 * {@link System#nanoTime} terms, a request budget so a run is bounded in count as well as in time, and the
 * pace: 0 for a closed loop, else the requests per second the whole run offers (an open loop).
 */
record Plan(Target target, HttpMethod method, long measureFromNanos, long endNanos, long timeoutMs,
    AtomicLong budget, boolean recording, double rate) {
  boolean paced() {
    return rate > 0;
  }
}
