package eu.consentgateway.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The same scenarios as {@link LoadGen}, driven by wrk (a neutral C load generator) instead: the scenario
 * makes a few thousand request templates (headers, and the body split around its event id), a Lua script
 * sends them in turn with a fresh event id each, for the warm-up, then again for the measured window. The
 * two wrk runs are turned into the same results file as {@link LoadGen} writes, so the report is unchanged.
 * wrk cannot tell which request an answer belongs to, so ids are not recorded: durability is checked by
 * counting rows against the answers (every event id is fresh, so rows must be at least the 202s).
 */
final class WrkRun {
  private static final Set<String> OPTIONS = Set.of("url", "connections", "duration", "warmup", "scenario",
      "expect", "out", "record", "event-loops", "timeout", "site", "ips", "tokens", "synthetic-token-length",
      "consent-path", "label", "wrk");
  private static final int TEMPLATES = 4096;

  private WrkRun() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, OPTIONS, Set.of());
    Target target = Target.of(args.required("url"));
    if (args.string("scenario", null) == null) {
      throw new Args.Invalid("--scenario is required with wrk (" + Scenarios.NAMES + ")");
    }
    Scenario scenario = Scenarios.of(args, target);
    int connections = args.integer("connections", 64, 1, 4096);
    int threads = Math.min(connections, args.integer("event-loops", 1, 1, 64));
    Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
    Duration duration = args.duration("duration", Duration.ofSeconds(20));
    Duration timeout = args.duration("timeout", Duration.ofSeconds(10));
    Set<Integer> expect = args.statuses("expect", Set.of(200, 201, 202, 204));
    String wrk = args.string("wrk", "wrk");
    if (duration.toSeconds() < 1) {
      throw new Args.Invalid("--duration must be at least 1 s with wrk");
    }
    if (args.string("record", null) != null) {
      System.out.println("load: wrk cannot match answers to requests: ids are not recorded (rows are counted)");
    }

    Vertx vertx = Vertx.vertx();
    LoadGen.prepare(scenario, vertx);
    vertx.close();

    Path dir = Files.createTempDirectory("cg-wrk");
    Path script = dir.resolve("requests.lua");
    try (InputStream in = WrkRun.class.getResourceAsStream("/wrk/requests.lua")) {
      Files.write(script, in.readAllBytes());
    }
    Path data = dir.resolve("data.lua");
    Files.writeString(data, templates(scenario, target), StandardCharsets.UTF_8);

    SecureRandom seeds = new SecureRandom();
    Instant startedAt = Instant.now();
    System.out.printf(Locale.ROOT, "load: started %s, warm-up %.1f s, then measuring %.1f s (wrk, %d thread%s)%n",
        startedAt, warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0, threads, threads == 1 ? "" : "s");
    System.out.flush();
    JsonObject warm = warmup.toSeconds() < 1 ? null
        : wrk(wrk, target, threads, connections, warmup, timeout, script, data, dir.resolve("warmup.json"),
            seeds.nextInt(1 << 30));
    JsonObject measured = wrk(wrk, target, threads, connections, duration, timeout, script, data,
        dir.resolve("measured.json"), seeds.nextInt(1 << 30));

    JsonObject result = result(args, scenario, target, connections, threads, warmup, duration, startedAt, warm,
        measured, expect);
    System.out.println(result.encodePrettily());
    String out = args.string("out", null);
    if (out != null) {
      LoadGen.write(Path.of(out), result);
    }
    if (result.getLong("expected") == 0) {
      System.err.println("load: no request got an expected status (" + expect + "): check the URL and the server");
      System.exit(1);
    }
  }

  /** Runs wrk once; its Lua script writes the run's figures to {@code out}. */
  private static JsonObject wrk(String wrk, Target target, int threads, int connections, Duration length,
      Duration timeout, Path script, Path data, Path out, int seed) throws IOException, InterruptedException {
    List<String> command = List.of(wrk, "-t" + threads, "-c" + connections, "-d" + length.toSeconds() + "s",
        "--timeout", timeout.toSeconds() + "s", "-s", script.toString(), target.toString(), "--",
        data.toString(), out.toString(), String.valueOf(seed));
    // its output goes to a file, so the wait below is what bounds the run (reading a pipe would not be)
    Path log = out.resolveSibling(out.getFileName() + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(length.toSeconds() + timeout.toSeconds() + 30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new Args.Invalid("wrk did not finish in time");
    }
    String text = Files.readString(log);
    if (p.exitValue() != 0 || !Files.exists(out)) {
      throw new Args.Invalid("wrk failed (exit " + p.exitValue() + "): " + text.strip());
    }
    System.out.println(text.strip().replaceAll("(?m)^", "  wrk| "));
    return new JsonObject(Files.readString(out));
  }

  /** The scenario's requests as a Lua table: method, path and templates with the event id cut out. */
  static String templates(Scenario scenario, Target target) {
    Random rnd = new Random(20261202L);
    StringBuilder lua = new StringBuilder(TEMPLATES * 800).append("return {\n  method = \"POST\",\n  path = ")
        .append(quoted(target.path())).append(",\n  templates = {\n");
    for (int i = 0; i < TEMPLATES; i++) {
      Scenario.Outgoing o = scenario.next(rnd);
      String body = o.body().toString(StandardCharsets.UTF_8);
      lua.append("    { headers = {");
      MultiMap headers = o.headers();
      for (Map.Entry<String, String> h : headers) {
        lua.append('[').append(quoted(h.getKey())).append("] = ").append(quoted(h.getValue())).append(", ");
      }
      lua.append("}, pre = ");
      int at = o.sentId() == null ? -1 : body.indexOf(o.sentId());
      if (at < 0) {
        lua.append(quoted(body));
      } else {
        lua.append(quoted(body.substring(0, at))).append(", post = ")
            .append(quoted(body.substring(at + o.sentId().length())));
      }
      lua.append(" },\n");
    }
    return lua.append("  },\n}\n").toString();
  }

  /** A Lua string literal: printable ASCII as is, everything else as decimal byte escapes. */
  static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c == '"' || c == '\\') {
        b.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append((char) c);
      } else {
        b.append('\\').append(String.format(Locale.ROOT, "%03d", c));
      }
    }
    return b.append('"').toString();
  }

  private static JsonObject result(Args args, Scenario scenario, Target target, int connections, int threads,
      Duration warmup, Duration duration, Instant startedAt, JsonObject warm, JsonObject measured,
      Set<Integer> expect) {
    JsonObject status = measured.getJsonObject("status");
    long answered = sum(status);
    JsonObject errors = measured.getJsonObject("errors");
    long failures = failures(measured);
    long requests = answered + failures;
    long expected = expected(status, expect);
    JsonObject total = new JsonObject();
    for (JsonObject run : warm == null ? List.of(measured) : List.of(warm, measured)) {
      run.getJsonObject("status").forEach(e -> total.put(e.getKey(),
          total.getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
    }
    long totalFailures = failures + (warm == null ? 0 : failures(warm));
    double seconds = measured.getLong("durationUs") / 1e6;
    JsonObject l = measured.getJsonObject("latencyUs");
    List<Integer> expectList = new ArrayList<>(expect);
    return new JsonObject()
        .put("label", args.string("label", scenario.name()))
        .put("generator", "wrk")
        .put("scenario", scenario.describe())
        .put("url", target.toString())
        .put("method", "POST")
        .put("connections", connections)
        .put("eventLoops", threads)
        .put("warmupSeconds", warmup.toMillis() / 1000.0)
        .put("durationSeconds", duration.toMillis() / 1000.0)
        .put("startedAt", startedAt.toString())
        .put("expect", expectList)
        .put("requests", requests)
        .put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("rps", LoadGen.round(requests / seconds))
        .put("expected", expected)
        .put("expectedRps", LoadGen.round(expected / seconds))
        .put("errors", requests - expected)
        .put("latencyMs", new JsonObject()
            .put("p50", l.getLong("p50") / 1000.0)
            .put("p90", l.getLong("p90") / 1000.0)
            .put("p99", l.getLong("p99") / 1000.0)
            .put("p999", l.getLong("p999") / 1000.0)
            .put("max", l.getLong("max") / 1000.0)
            .put("mean", LoadGen.round(l.getDouble("mean") / 1000.0)))
        .put("status", status)
        .put("failures", errors)
        .put("total", new JsonObject()
            .put("requests", sum(total) + totalFailures)
            .put("expected", expected(total, expect))
            .put("status", total)
            .put("failures", totalFailures));
  }

  /** Requests of a wrk run that got no answer (the "status" errors are answers: counted by their status). */
  private static long failures(JsonObject run) {
    JsonObject e = run.getJsonObject("errors");
    return e.getLong("connect") + e.getLong("read") + e.getLong("write") + e.getLong("timeout");
  }

  private static long sum(JsonObject status) {
    long n = 0;
    for (Map.Entry<String, Object> e : status) {
      n += ((Number) e.getValue()).longValue();
    }
    return n;
  }

  private static long expected(JsonObject status, Set<Integer> expect) {
    long n = 0;
    for (int code : expect) {
      n += status.getLong(String.valueOf(code), 0L);
    }
    return n;
  }
}
