package eu.consentgateway.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as operators run it: a JVM of its own ({@code -Xmx256m}, {@code eu.consentgateway.Main}), so a
 * test can flood it, kill it with -9 or stop it with SIGTERM, and read what it printed.
 */
public final class GatewayProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final int managementPort;

  private GatewayProcess(Process process, Path log, int port, int managementPort) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.managementPort = managementPort;
  }

  /** Starts a gateway with the test environment plus {@code overrides}; waits until it listens. */
  public static GatewayProcess start(Map<String, String> overrides) {
    Map<String, String> env = TestStores.environment(overrides);
    int port = Integer.parseInt(env.get("CG_HTTP_PORT"));
    int management = Integer.parseInt(env.get("CG_MANAGEMENT_PORT"));
    try {
      Path log = Files.createTempFile("cg-gateway-", ".log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
          "eu.consentgateway.Main"));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("CG_"));
      pb.environment().putAll(env);
      GatewayProcess gw = new GatewayProcess(pb.start(), log, port, management);
      gw.awaitListening(Duration.ofSeconds(60));
      return gw;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void awaitListening(Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the gateway process stopped: " + output());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", managementPort), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IllegalStateException("the gateway did not listen within " + within + ": " + output());
  }

  public int port() {
    return port;
  }

  public int managementPort() {
    return managementPort;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** kill -9: no shutdown hook, no drain. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
  }

  /** SIGTERM: the gateway drains and exits; returns its exit status. */
  public int terminate(Duration within) {
    process.destroy();
    return waitFor(within);
  }

  private int waitFor(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        return -1;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temporary file
    }
  }
}
