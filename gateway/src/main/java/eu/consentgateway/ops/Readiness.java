package eu.consentgateway.ops;

import eu.consentgateway.store.Database;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.store.WriteHealth;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Ready means "can serve": PostgreSQL answers within its timeout and writes go through, and the process is not
 * draining. Redis down is reported as degraded (the gateway serves without it), never as not ready, so a load
 * balancer never takes every healthy instance out when only the cache is gone.
 */
public final class Readiness {
  private final Database db;
  private final RedisBus redis;
  private final WriteHealth writes;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final List<Supplier<JsonObject>> details = new ArrayList<>();

  public Readiness(Database db, RedisBus redis, WriteHealth writes) {
    this.db = db;
    this.redis = redis;
    this.writes = writes;
  }

  /** Readiness turns 503 from now on: the start of a drain, before the listeners close. */
  public void drain() {
    draining.set(true);
  }

  public boolean draining() {
    return draining.get();
  }

  /** Adds a line to the detailed report (a feature's own state, such as mail delivery). */
  public void detail(Supplier<JsonObject> detail) {
    details.add(detail);
  }

  /** {@code status} UP, DEGRADED (served, Redis down), DOWN or DRAINING, with each check's state. */
  public Future<JsonObject> check() {
    Future<String> pg = db.ping().map("UP").recover(e -> Future.succeededFuture("DOWN"));
    Future<String> cache = redis.ping().map("UP").recover(e -> Future.succeededFuture("DOWN"));
    return Future.all(pg, cache).transform(ar -> {
      String writeProblem = writes.problem();
      String postgres = pg.result();
      JsonObject checks = new JsonObject()
          .put("postgresql", new JsonObject().put("status", postgres))
          .put("writes", new JsonObject().put("status", writeProblem == null ? "UP" : "DOWN")
              .put("problem", writeProblem))
          .put("redis", new JsonObject().put("status", cache.result()));
      details.forEach(d -> d.get().forEach(e -> checks.put(e.getKey(), e.getValue())));
      String status;
      if (draining.get()) {
        status = "DRAINING";
      } else if (!"UP".equals(postgres) || writeProblem != null) {
        status = "DOWN";
      } else {
        status = "UP".equals(cache.result()) ? "UP" : "DEGRADED";
      }
      return Future.succeededFuture(new JsonObject().put("status", status).put("checks", checks));
    });
  }

  static boolean serving(JsonObject report) {
    String s = report.getString("status");
    return "UP".equals(s) || "DEGRADED".equals(s);
  }
}
