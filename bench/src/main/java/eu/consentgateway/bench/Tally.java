package eu.consentgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one event loop saw: a latency histogram and status counts for the measured window (after warm-up),
 * totals over the whole run (warm-up and drain included, which is what durability is checked against), and
 * the recorded ids. Touched by one thread while running; merged once every lane has finished.
 */
final class Tally {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

  private static final int SECONDS = 3600;

  final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
  // per second of the measured window (by start, or due, time): the slowest answer and the count, to tell a
  // stall from a spread
  final long[] secondMaxMicros = new long[SECONDS];
  final long[] secondCount = new long[SECONDS];
  private final long measureFromNanos;
  final long[] measuredStatus = new long[600];
  final long[] totalStatus = new long[600];
  final Map<String, Long> failures = new TreeMap<>();
  final RecordedIds recorded = new RecordedIds();
  long measuredFailures;
  long totalFailures;
  long lastMeasuredEnd;

  Tally(long measureFromNanos) {
    this.measureFromNanos = measureFromNanos;
  }

  void answered(int status, boolean measured, long startNanos, long endNanos) {
    int s = status >= 0 && status < 600 ? status : 0;
    totalStatus[s]++;
    if (measured) {
      measuredStatus[s]++;
      long micros = Math.min(HIGHEST_MICROS, Math.max(0, (endNanos - startNanos) / 1000));
      latency.recordValue(micros);
      int second = (int) Math.min(SECONDS - 1, Math.max(0, (startNanos - measureFromNanos) / 1_000_000_000L));
      secondMaxMicros[second] = Math.max(secondMaxMicros[second], micros);
      secondCount[second]++;
      lastMeasuredEnd = Math.max(lastMeasuredEnd, endNanos);
    }
  }

  void failed(Throwable cause, boolean measured, long endNanos) {
    totalFailures++;
    if (measured) {
      measuredFailures++;
      lastMeasuredEnd = Math.max(lastMeasuredEnd, endNanos);
    }
    String message = String.valueOf(cause.getMessage());
    String kind = cause.getClass().getSimpleName() + ": " + message.substring(0, Math.min(80, message.length()));
    failures.merge(kind, 1L, Long::sum);
  }

  void merge(Tally other) {
    latency.add(other.latency);
    for (int i = 0; i < SECONDS; i++) {
      secondMaxMicros[i] = Math.max(secondMaxMicros[i], other.secondMaxMicros[i]);
      secondCount[i] += other.secondCount[i];
    }
    for (int i = 0; i < 600; i++) {
      measuredStatus[i] += other.measuredStatus[i];
      totalStatus[i] += other.totalStatus[i];
    }
    other.failures.forEach((k, v) -> failures.merge(k, v, Long::sum));
    recorded.addAll(other.recorded);
    measuredFailures += other.measuredFailures;
    totalFailures += other.totalFailures;
    lastMeasuredEnd = Math.max(lastMeasuredEnd, other.lastMeasuredEnd);
  }

  /** The measured window second by second: answers and the slowest of them (ms). */
  JsonObject perSecond(int seconds) {
    JsonArray count = new JsonArray();
    JsonArray maxMs = new JsonArray();
    for (int i = 0; i < Math.min(seconds, SECONDS); i++) {
      count.add(secondCount[i]);
      maxMs.add(Math.round(secondMaxMicros[i] / 100.0) / 10.0);
    }
    return new JsonObject().put("answers", count).put("maxMs", maxMs);
  }

  static long sum(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  static JsonObject statuses(long[] counts) {
    JsonObject out = new JsonObject();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        out.put(Integer.toString(i), counts[i]);
      }
    }
    return out;
  }
}
