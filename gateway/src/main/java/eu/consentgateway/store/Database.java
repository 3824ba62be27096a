package eu.consentgateway.store;

import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.config.PgUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL pools, one per database role: each connection switches to its role when opened,
 * so code holding the terminal pool cannot read identity even by mistake. Every pool is bounded in time:
 * statements and lock waits end server-side after the query timeout, a connection is waited for at most the
 * connect timeout, TCP keepalive is on, and a connection that hears nothing for a while (a frozen server, a
 * dropped network) is closed so the pool opens a fresh one.
 */
public final class Database {
  public enum Role {
    GATEWAY("cg_gateway"), TERMINAL("cg_terminal"), IDENTITY("cg_identity"), STATS("cg_stats"),
    ROLLUP("cg_rollup");

    final String name;

    Role(String name) {
      this.name = name;
    }
  }

  /** Rollups rebuild whole days and retention drops whole months: longer than a request's statements. */
  static final Duration ROLLUP_QUERY_TIMEOUT = Duration.ofMinutes(10);

  private final Pool gateway;
  private final Pool terminal;
  private final Pool identity;
  private final Pool stats;
  private final Pool rollup;
  private final Pool locks;
  private final Duration queryTimeout;

  public Database(Vertx vertx, PgUrl url, GatewayConfig.Timeouts timeouts) {
    this.queryTimeout = timeouts.pgQuery();
    this.gateway = pool(vertx, url, Role.GATEWAY, 8, timeouts.pgQuery(), timeouts.pgConnect());
    this.terminal = pool(vertx, url, Role.TERMINAL, 8, timeouts.pgQuery(), timeouts.pgConnect());
    this.identity = pool(vertx, url, Role.IDENTITY, 4, timeouts.pgQuery(), timeouts.pgConnect());
    this.stats = pool(vertx, url, Role.STATS, 4, timeouts.pgQuery(), timeouts.pgConnect());
    this.rollup = pool(vertx, url, Role.ROLLUP, 3, ROLLUP_QUERY_TIMEOUT, timeouts.pgConnect());
    // a job holds its advisory lock on a connection of its own for as long as it runs
    this.locks = pool(vertx, url, Role.GATEWAY, 3, ROLLUP_QUERY_TIMEOUT, timeouts.pgConnect(), "cg-locks");
  }

  public static Pool pool(Vertx vertx, PgUrl url, Role role, int size, Duration queryTimeout, Duration connectTimeout) {
    return pool(vertx, url, role, size, queryTimeout, connectTimeout, "cg-" + role.name);
  }

  private static Pool pool(Vertx vertx, PgUrl url, Role role, int size, Duration queryTimeout,
      Duration connectTimeout, String name) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setPipeliningLimit(256)
        .setCachePreparedStatements(true);
    options.setMetricsName(name);
    if (url.password() != null) {
      options.setPassword(url.password());
    }
    options.addProperty("application_name", "consent-gateway-" + role.name);
    // run-time parameters of the session, sent at connection start
    options.addProperty("statement_timeout", Long.toString(queryTimeout.toMillis()));
    options.addProperty("lock_timeout", Long.toString(queryTimeout.toMillis()));
    options.addProperty("idle_in_transaction_session_timeout", Long.toString(queryTimeout.toMillis() * 5));
    int silentSeconds = (int) Math.max(5, queryTimeout.toSeconds() * 3 + 5);
    NetClientOptions net = new NetClientOptions()
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setReadIdleTimeout(silentSeconds)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName(name).setShared(false)
            .setConnectionTimeout((int) connectTimeout.toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            .setMaxWaitQueueSize(4096)
            .setIdleTimeout(silentSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS))
        .with(net)
        .connectingTo(options)
        .withConnectHandler(conn -> conn.query("SET ROLE " + role.name).execute()
            .onComplete(ar -> conn.close()))
        .using(vertx)
        .build();
  }

  public Pool gateway() {
    return gateway;
  }

  public Pool terminal() {
    return terminal;
  }

  public Pool identity() {
    return identity;
  }

  /** Reads the statistics rollups, and only them (the API). */
  public Pool stats() {
    return stats;
  }

  /** Builds rollups from raw terminal and consent data and drops expired months (the jobs). */
  public Pool rollup() {
    return rollup;
  }

  /** Holds the jobs' advisory locks. */
  public Pool locks() {
    return locks;
  }

  /** PostgreSQL answers a trivial query within the query timeout. */
  public Future<Void> ping() {
    return gateway.query("SELECT 1").execute().timeout(queryTimeout.toMillis(), TimeUnit.MILLISECONDS).mapEmpty();
  }

  public Future<Void> close() {
    return Future.join(List.of(gateway.close(), terminal.close(), identity.close(), stats.close(), rollup.close(),
            locks.close()))
        .mapEmpty();
  }
}
