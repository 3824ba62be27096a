package eu.consentgateway.support;

import eu.consentgateway.config.ConfigLoader;
import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.config.PgUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;

/**
 * The real PostgreSQL and Redis the tests use. A missing service fails the test with how to start it;
 * nothing is skipped.
 */
public final class TestStores {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String TOKEN_SECRET = "test-token-secret-0123456789-abcdefghijklmnop";
  private static final Set<Integer> GIVEN_PORTS = ConcurrentHashMap.newKeySet(); // see freePort
  /** One database per concurrent checkout: {@code CG_TEST_DATABASE} (default {@code consent_gateway_test}). */
  private static final String DATABASE = databaseName();
  private static final PgUrl PG = ConfigLoader.load(Map.of("CG_PG_URL",
      "postgresql://postgres@127.0.0.1:5432/" + DATABASE)).pg();

  private TestStores() {
  }

  private static String databaseName() {
    String name = System.getenv("CG_TEST_DATABASE");
    if (name == null || name.isBlank()) {
      return "consent_gateway_test";
    }
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalStateException("CG_TEST_DATABASE must be a lower-case PostgreSQL name, got: " + name);
    }
    return name;
  }

  public static GatewayConfig config() {
    return config(Map.of());
  }

  /** The test configuration with some variables set otherwise, as an operator would in the environment. */
  public static GatewayConfig config(Map<String, String> overrides) {
    return ConfigLoader.load(environment(overrides));
  }

  /** The variables of {@link #config(Map)}, for a gateway started as a process of its own. */
  public static Map<String, String> environment(Map<String, String> overrides) {
    requireListening("127.0.0.1", 5432, "PostgreSQL");
    requireListening("127.0.0.1", 6379, "Redis");
    Map<String, String> env = new HashMap<>();
    int port = freePort();
    env.put("CG_HTTP_PORT", String.valueOf(port));
    env.put("CG_MANAGEMENT_PORT", String.valueOf(freePort()));
    env.put("CG_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("CG_PG_URL", "postgresql://postgres@127.0.0.1:5432/" + DATABASE);
    env.put("CG_REDIS_URL", "redis://127.0.0.1:6379");
    env.put("CG_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("CG_TOKEN_SECRET", TOKEN_SECRET);
    env.put("CG_VERTICLES", "2");
    env.put("CG_SHUTDOWN_GRACE_SECONDS", "2");
    // every test client is 127.0.0.1: the suite would spend the per-network budgets (RateLimitTest sets its own)
    env.put("CG_RATE_CONSENTS_PER_MINUTE", "0");
    env.put("CG_RATE_NOTICES_PER_MINUTE", "0");
    env.put("CG_RATE_COLLECT_PER_MINUTE", "0");
    env.put("CG_RATE_AUTH_FAILURES_PER_MINUTE", "0");
    // periodic jobs would roll up every test site of the shared database: tests run the ones they test
    env.put("CG_JOBS", "false");
    env.putAll(overrides);
    if (overrides.containsKey("CG_HTTP_PORT") && !overrides.containsKey("CG_PUBLIC_URL")) {
      env.put("CG_PUBLIC_URL", "http://127.0.0.1:" + overrides.get("CG_HTTP_PORT"));
    }
    return env;
  }

  public static PgUrl pg() {
    return PG;
  }

  public static String uniqueSite(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A port free now and never handed out before in this JVM: the kernel may give the same ephemeral port to two
   * calls in a row once the first socket is closed (a gateway's HTTP and management ports came out equal).
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (GIVEN_PORTS.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port that was not handed out already, in 100 tries");
  }

  /** Runs a counting query over JDBC, as an auditor would. */
  public static long count(String sql, Object... params) {
    return count(PG, sql, params);
  }

  /** The same against another server or database (fault tests have their own). */
  public static long count(PgUrl url, String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void execute(String sql) {
    execute(PG, sql);
  }

  public static void execute(PgUrl url, String sql) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Seconds left on a Redis key (-2 when missing), asked over a plain socket. */
  public static long redisTtl(String key) {
    return redisInteger("TTL", key);
  }

  /** Deletes a Redis key; returns how many went. */
  public static long redisDel(String key) {
    return redisInteger("DEL", key);
  }

  private static long redisInteger(String command, String key) {
    try (Socket s = new Socket("127.0.0.1", 6379)) {
      s.getOutputStream().write(("*2\r\n$" + command.length() + "\r\n" + command + "\r\n$" + key.length() + "\r\n"
          + key + "\r\n").getBytes());
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
      String line = in.readLine();
      return Long.parseLong(line.substring(1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event ids stored for a site, to compare with the ids a load recorded from its 202s. */
  public static java.util.Set<UUID> eventIds(PgUrl url, String site) {
    java.util.Set<UUID> out = new java.util.HashSet<>();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        var ps = c.prepareStatement("SELECT event_id FROM terminal.events WHERE site_id = ?")) {
      ps.setString(1, site);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add((UUID) rs.getObject(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The whole test database as pg_dump writes it, to search for what must never be stored. */
  public static String dumpDatabase() throws Exception {
    PgUrl url = PG;
    Process p = new ProcessBuilder("pg_dump", "--data-only", "-h", url.host(), "-p", String.valueOf(url.port()),
        "-U", url.user(), url.database()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("pg_dump failed: " + out);
    }
    return out;
  }

  private static void requireListening(String host, int port, String name) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2_000);
    } catch (IOException e) {
      Assertions.fail(name + " is not answering on " + host + ":" + port
          + ". Start it with: bash deploy/services.sh (installs and starts PostgreSQL and Redis when missing)");
    }
  }
}
