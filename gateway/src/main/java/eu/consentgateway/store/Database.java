package eu.consentgateway.store;

import eu.consentgateway.config.PgUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The PostgreSQL pools, one per database role: each connection switches to its role when opened,
 * so code holding the terminal pool cannot read identity even by mistake.
 */
public final class Database {
  public enum Role {
    GATEWAY("cg_gateway"), TERMINAL("cg_terminal"), IDENTITY("cg_identity"), STATS("cg_stats");

    final String name;

    Role(String name) {
      this.name = name;
    }
  }

  private final Pool gateway;
  private final Pool terminal;
  private final Pool identity;
  private final Pool stats;

  public Database(Vertx vertx, PgUrl url) {
    this.gateway = pool(vertx, url, Role.GATEWAY, 8);
    this.terminal = pool(vertx, url, Role.TERMINAL, 8);
    this.identity = pool(vertx, url, Role.IDENTITY, 2);
    this.stats = pool(vertx, url, Role.STATS, 2);
  }

  public static Pool pool(Vertx vertx, PgUrl url, Role role, int size) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setPipeliningLimit(256)
        .setCachePreparedStatements(true);
    if (url.password() != null) {
      options.setPassword(url.password());
    }
    options.addProperty("application_name", "consent-gateway-" + role.name);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName("cg-" + role.name).setShared(false))
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

  public Pool stats() {
    return stats;
  }

  public Future<Void> ping() {
    return gateway.query("SELECT 1").execute().mapEmpty();
  }

  public Future<Void> close() {
    return Future.join(gateway.close(), terminal.close(), identity.close(), stats.close()).mapEmpty();
  }
}
