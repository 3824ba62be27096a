package eu.consentgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/** A Redis of the test's own on a free port, to freeze (SIGSTOP), thaw, kill and start again. */
public final class OwnRedis implements AutoCloseable {
  private final int port;
  private Process process;

  private OwnRedis(int port) {
    this.port = port;
  }

  public static OwnRedis start() {
    if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
      Assertions.fail("fault tests need redis-server: apt-get install redis-server");
    }
    OwnRedis redis = new OwnRedis(TestStores.freePort());
    redis.launch();
    return redis;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private void launch() {
    try {
      process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--logfile", "").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      Assertions.fail("cannot start redis-server: " + e.getMessage());
    }
    if (Ports.await(port, true, java.time.Duration.ofSeconds(10))) {
      return;
    }
    Assertions.fail("redis-server did not listen on " + port + " within 10 s");
  }

  /** SIGSTOP: connections stay open, nothing answers. */
  public void freeze() {
    signal("STOP");
  }

  public void thaw() {
    signal("CONT");
  }

  /** kill -9, then nothing listens. */
  public void kill() {
    if (process != null) {
      signal("CONT");
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A fresh, empty server on the same port. */
  public void restart() {
    kill();
    launch();
  }

  private void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      Assertions.fail("cannot signal redis-server: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
