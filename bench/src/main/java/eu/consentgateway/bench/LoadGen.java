package eu.consentgateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * An HTTP/1.1 load generator over {@code --connections} keep-alive connections, for {@code --warmup} then
 * {@code --duration}. By default a closed loop: each connection sends its next request as soon as the previous
 * one is answered, which finds the server's throughput (and makes latency the number of connections divided by
 * it). With {@code --rate R} an open loop: requests fall due R times a second whatever the answers, wait for a
 * free connection when all are busy, and their latency counts from when they fell due, so a stall shows in the
 * percentiles instead of slowing the senders down. Latency and statuses count for requests started (or due)
 * after the warm-up; totals and recorded ids cover the whole run.
 */
public final class LoadGen {
  private static final Set<String> OPTIONS = Set.of("url", "method", "connections", "duration", "warmup",
      "body-file", "content-type", "scenario", "expect", "out", "record", "event-loops", "max-requests", "timeout",
      "site", "ips", "tokens", "synthetic-token-length", "consent-path", "label", "rate");

  private static final SecureRandom SEEDS = new SecureRandom();

  private LoadGen() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, OPTIONS, Set.of());
    Target target = Target.of(args.required("url"));
    Scenario scenario = Scenarios.of(args, target);
    boolean hasBody = args.string("scenario", null) != null || args.string("body-file", null) != null;
    HttpMethod method = HttpMethod.valueOf(args.string("method", hasBody ? "POST" : "GET").toUpperCase(Locale.ROOT));
    int connections = args.integer("connections", 64, 1, 4096);
    int loops = Math.min(connections, args.integer("event-loops", 1, 1, 64));
    Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
    Duration duration = args.duration("duration", Duration.ofSeconds(20));
    Duration timeout = args.duration("timeout", Duration.ofSeconds(10));
    long maxRequests = args.integer("max-requests", 20_000_000, 1, Integer.MAX_VALUE);
    Set<Integer> expect = args.statuses("expect", Set.of(200, 201, 202, 204));
    String out = args.string("out", null);
    String record = args.string("record", null);
    double rate = args.decimal("rate", 0);
    if (rate < 0 || rate > 1_000_000) {
      throw new Args.Invalid("--rate must be between 0 (closed loop) and 1000000 requests/s");
    }
    if (duration.isZero()) {
      throw new Args.Invalid("--duration must be more than 0");
    }

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    prepare(scenario, vertx);

    long start = System.nanoTime();
    Instant startedAt = Instant.now();
    // scripts wait for this line to time their samples of the measured window
    System.out.printf(Locale.ROOT, "load: started %s, warm-up %.1f s, then measuring %.1f s%n", startedAt,
        warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0);
    System.out.flush();
    Plan plan = new Plan(target, method, start + warmup.toNanos(), start + warmup.toNanos() + duration.toNanos(),
        timeout.toMillis(), new AtomicLong(maxRequests), record != null, rate);
    CountDownLatch finished = new CountDownLatch(connections);
    List<Tally> tallies = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      tallies.add(new Tally(plan.measureFromNanos()));
    }
    AtomicInteger lane = new AtomicInteger();
    vertx.deployVerticle(() -> {
      int i = lane.getAndIncrement();
      int share = connections / loops + (i < connections % loops ? 1 : 0);
      // never the same seed twice: event ids must not repeat across runs (the gateway drops ids it saw in 24 h)
      return new Lane(plan, scenario, share, plan.rate() * share / connections, tallies.get(i), finished,
          SEEDS.nextLong());
    }, new DeploymentOptions().setInstances(loops));

    long waitMs = warmup.plus(duration).plus(timeout).plusSeconds(10).toMillis();
    boolean done = finished.await(waitMs, TimeUnit.MILLISECONDS);
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the numbers are taken anyway
    }
    Tally all = new Tally(plan.measureFromNanos());
    tallies.forEach(all::merge);
    double seconds = Math.max(plan.endNanos(), all.lastMeasuredEnd) - plan.measureFromNanos();
    seconds = seconds / 1e9;

    JsonObject result = result(args, scenario, plan, connections, loops, warmup, duration, startedAt, all, seconds,
        expect);
    result.put("unfinishedConnections", done ? 0 : finished.getCount());
    if (record != null) {
      all.recorded.write(Path.of(record));
      result.put("recorded", new JsonObject().put("file", record).put("count", all.recorded.size()));
    }
    print(result);
    if (out != null) {
      write(Path.of(out), result);
    }
    if (result.getLong("expected") == 0) {
      System.err.println("load: no request got an expected status (" + expect + "): check the URL and the server");
      System.exit(1);
    }
  }

  /** Runs the scenario's preparation (bounded); on failure says why and exits 1. */
  static void prepare(Scenario scenario, Vertx vertx) {
    try {
      scenario.prepare(vertx).toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("load: preparing scenario " + scenario.name() + " failed: " + BareServer.rootCause(e));
      vertx.close();
      System.exit(1);
    }
  }

  private static JsonObject result(Args args, Scenario scenario, Plan plan, int connections, int loops,
      Duration warmup, Duration duration, Instant startedAt, Tally all, double seconds, Set<Integer> expect) {
    long answered = Tally.sum(all.measuredStatus);
    long requests = answered + all.measuredFailures;
    long expected = 0;
    for (int code : expect) {
      expected += all.measuredStatus[code];
    }
    long totalExpected = 0;
    for (int code : expect) {
      totalExpected += all.totalStatus[code];
    }
    Histogram h = all.latency;
    return new JsonObject()
        .put("label", args.string("label", scenario.name()))
        .put("scenario", scenario.describe())
        .put("url", plan.target().toString())
        .put("method", plan.method().name())
        .put("connections", connections)
        .put("rate", plan.paced() ? plan.rate() : null)
        .put("eventLoops", loops)
        .put("warmupSeconds", warmup.toMillis() / 1000.0)
        .put("durationSeconds", duration.toMillis() / 1000.0)
        .put("startedAt", startedAt.toString())
        .put("expect", new ArrayList<>(expect))
        .put("requests", requests)
        .put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("rps", round(requests / seconds))
        .put("expected", expected)
        .put("expectedRps", round(expected / seconds))
        .put("errors", requests - expected)
        .put("latencyMs", new JsonObject()
            .put("p50", ms(h.getValueAtPercentile(50)))
            .put("p90", ms(h.getValueAtPercentile(90)))
            .put("p99", ms(h.getValueAtPercentile(99)))
            .put("p999", ms(h.getValueAtPercentile(99.9)))
            .put("max", ms(h.getMaxValue()))
            .put("mean", round(h.getMean() / 1000.0)))
        .put("perSecond", all.perSecond((int) Math.ceil(duration.toMillis() / 1000.0)))
        .put("status", Tally.statuses(all.measuredStatus))
        .put("failures", new JsonObject(new java.util.LinkedHashMap<>(all.failures)))
        .put("total", new JsonObject()
            .put("requests", Tally.sum(all.totalStatus) + all.totalFailures)
            .put("expected", totalExpected)
            .put("status", Tally.statuses(all.totalStatus))
            .put("failures", all.totalFailures));
  }

  private static void print(JsonObject r) {
    JsonObject l = r.getJsonObject("latencyMs");
    String pace = r.getValue("rate") == null ? "closed loop" : fmt("open loop at %.1f/s", r.getDouble("rate"));
    System.out.printf(Locale.ROOT,
        "load %s %s %s: %d connections (%s), %d event loop(s), %.1f s after %.1f s warm-up%n",
        r.getString("label"), r.getString("method"), r.getString("url"), r.getInteger("connections"), pace,
        r.getInteger("eventLoops"), r.getDouble("durationSeconds"), r.getDouble("warmupSeconds"));
    System.out.printf(Locale.ROOT, "  requests %d (%.1f/s), expected %d (%.1f/s), errors %d%n", r.getLong("requests"),
        r.getDouble("rps"), r.getLong("expected"), r.getDouble("expectedRps"), r.getLong("errors"));
    System.out.printf(Locale.ROOT, "  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", l.getDouble("p50"),
        l.getDouble("p90"), l.getDouble("p99"), l.getDouble("max"));
    System.out.println("  slowest answer per second (ms): " + r.getJsonObject("perSecond").getJsonArray("maxMs")
        .encode());
    System.out.println("  status " + r.getJsonObject("status").encode() + "  whole run " + r.getJsonObject("total")
        .encode());
    if (!r.getJsonObject("failures").isEmpty()) {
      System.out.println("  failures " + r.getJsonObject("failures").encode());
    }
  }

  static void write(Path path, JsonObject json) throws IOException {
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    Files.writeString(path, json.encodePrettily() + "\n");
  }

  private static String fmt(String format, Object... values) {
    return String.format(Locale.ROOT, format, values);
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
