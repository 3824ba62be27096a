package eu.consentgateway.support;

import eu.consentgateway.config.ConfigLoader;
import eu.consentgateway.config.PgUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * A PostgreSQL cluster of the test's own (pg_createcluster on a free port, trust on loopback), so fault tests
 * can stop, restart and crash it without touching the shared server; dropped on close.
 */
public final class OwnPostgres implements AutoCloseable {
  private final String version;
  private final String name;
  private final int port;

  private OwnPostgres(String version, String name, int port) {
    this.version = version;
    this.name = name;
    this.port = port;
  }

  /** Creates and starts a cluster; fails the test with what to install when it cannot. */
  public static OwnPostgres create() {
    if (!Files.isExecutable(Path.of("/usr/bin/pg_createcluster"))) {
      Assertions.fail("fault tests need pg_createcluster (Debian package postgresql-common): "
          + "apt-get install postgresql");
    }
    String[] versions = Path.of("/usr/lib/postgresql").toFile().list();
    if (versions == null || versions.length == 0) {
      Assertions.fail("fault tests need a PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql");
    }
    String version = Arrays.stream(versions).max((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
        .orElseThrow();
    String name = "cgfault" + UUID.randomUUID().toString().substring(0, 8);
    int port = TestStores.freePort();
    OwnPostgres pg = new OwnPostgres(version, name, port);
    pg.run(List.of("pg_createcluster", version, name, "-p", String.valueOf(port),
        "-o", "max_connections=200", "-o", "shared_buffers=32MB",
        "--", "--auth-local=trust", "--auth-host=trust"), 120);
    try {
      pg.start();
    } catch (Throwable e) {
      pg.close();
      throw e;
    }
    return pg;
  }

  public int port() {
    return port;
  }

  /** The gateway's CG_PG_URL for a database of this cluster. */
  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  public PgUrl pgUrl(String database) {
    return ConfigLoader.load(Map.of("CG_PG_URL", url(database))).pg();
  }

  public void start() {
    ctl("start");
    awaitPort(true);
  }

  /** {@code mode}: smart, fast or immediate (a crash: no checkpoint, recovery at the next start). */
  public void stop(String mode) {
    ctl("stop", "-m", mode);
    awaitPort(false);
  }

  public void restart(String mode) {
    ctl("restart", "-m", mode);
    awaitPort(true);
  }

  /** SIGSTOP every process of the cluster: connections stay open and nothing answers (a frozen server). */
  public void freeze() {
    signal("STOP");
  }

  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Path pidFile = Path.of("/var/lib/postgresql", version, this.name, "postmaster.pid");
      String postmaster = Files.readAllLines(pidFile).get(0).trim();
      // the postmaster and its children (backends, checkpointer, walwriter…)
      run(List.of("sh", "-c", "kill -" + name + " " + postmaster + " $(pgrep -P " + postmaster + ")"), 10);
    } catch (IOException e) {
      Assertions.fail("cannot read the cluster's postmaster.pid: " + e.getMessage());
    }
  }

  private void ctl(String... args) {
    List<String> command = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, name));
    command.addAll(List.of(args));
    run(command, 60);
  }

  private void awaitPort(boolean open) {
    if (Ports.await(port, open, java.time.Duration.ofSeconds(30))) {
      return;
    }
    Assertions.fail("PostgreSQL cluster " + name + " did not " + (open ? "start" : "stop") + " within 30 s");
  }

  private void run(List<String> command, int seconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        Assertions.fail(String.join(" ", command) + " did not finish within " + seconds + " s");
      }
      if (p.exitValue() != 0) {
        Assertions.fail(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim()
            + (out.contains("ermission") ? " (fault tests create their own cluster: run them as root or postgres)"
            : ""));
      }
    } catch (IOException e) {
      Assertions.fail("cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      new ProcessBuilder("pg_dropcluster", "--stop", version, name).redirectErrorStream(true).start()
          .waitFor(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing more to do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
