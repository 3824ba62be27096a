package eu.consentgateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * A Redis master, its replica and three Sentinels of the test's own on free loopback ports (never the shared
 * Redis), so a test can kill the master and watch Sentinel promote the replica.
 */
public final class OwnSentinels implements AutoCloseable {
  public static final String MASTER = "cg-test";
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final int[] redisPorts = {TestStores.freePort(), TestStores.freePort()};
  private final int[] sentinelPorts = {TestStores.freePort(), TestStores.freePort(), TestStores.freePort()};
  private final Process[] redis = new Process[2];

  private OwnSentinels(Path dir) {
    this.dir = dir;
  }

  public static OwnSentinels start() {
    for (String tool : List.of("/usr/bin/redis-server", "/usr/bin/redis-sentinel", "/usr/bin/redis-cli")) {
      if (!Files.isExecutable(Path.of(tool))) {
        Assertions.fail("the Sentinel test needs " + tool + ": apt-get install redis-server redis-sentinel");
      }
    }
    try {
      OwnSentinels s = new OwnSentinels(Files.createTempDirectory("cg-sentinel"));
      s.redis[0] = s.launch(List.of("redis-server", "--port", "" + s.redisPorts[0]), s.redisPorts[0]);
      s.redis[1] = s.launch(List.of("redis-server", "--port", "" + s.redisPorts[1], "--replicaof", "127.0.0.1",
          "" + s.redisPorts[0]), s.redisPorts[1]);
      for (int i = 0; i < 3; i++) {
        Path conf = s.dir.resolve("sentinel" + i + ".conf");
        Files.writeString(conf, String.join("\n",
            "port " + s.sentinelPorts[i], "bind 127.0.0.1", "dir " + s.dir,
            "sentinel monitor " + MASTER + " 127.0.0.1 " + s.redisPorts[0] + " 2",
            "sentinel down-after-milliseconds " + MASTER + " 1000",
            "sentinel failover-timeout " + MASTER + " 5000", ""));
        s.launch(List.of("redis-sentinel", conf.toString()), s.sentinelPorts[i]);
      }
      return s;
    } catch (IOException e) {
      return Assertions.fail("cannot start Redis and Sentinel: " + e.getMessage());
    }
  }

  /** The gateway's URL for this set: every Sentinel, then the master's name. */
  public String url() {
    StringBuilder b = new StringBuilder("redis-sentinel://");
    for (int i = 0; i < sentinelPorts.length; i++) {
      b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinelPorts[i]);
    }
    return b.append('/').append(MASTER).toString();
  }

  /** The port Sentinel now names as master, or -1 while none answers. */
  public int masterPort() {
    for (int port : sentinelPorts) {
      List<String> lines = cli(port, "sentinel", "get-master-addr-by-name", MASTER);
      if (lines.size() == 2) {
        return Integer.parseInt(lines.get(1).trim());
      }
    }
    return -1;
  }

  /** kill -9 of the current master; returns its port. */
  public int killMaster() {
    int port = masterPort();
    Process p = port == redisPorts[0] ? redis[0] : redis[1];
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return port;
  }

  /** Every key of {@code port} under {@code prefix}. */
  public List<String> keys(int port, String prefix) {
    return cli(port, "--scan", "--pattern", prefix + "*");
  }

  private Process launch(List<String> command, int port) throws IOException {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--logfile", ""));
    Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    if (!Ports.await(port, true, Duration.ofSeconds(10))) {
      return Assertions.fail(command.get(0) + " did not listen on " + port + " within 10 s");
    }
    return p;
  }

  private static List<String> cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", "" + port));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.SECONDS);
        return p.exitValue() == 0 && !out.startsWith("Could not connect") ? out.lines().filter(l -> !l.isBlank())
            .toList() : List.of();
      }
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is not a test failure
    }
  }
}
