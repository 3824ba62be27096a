package eu.consentgateway.ops;

import eu.consentgateway.store.Database;
import eu.consentgateway.store.RedisBus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Liveness, readiness (PostgreSQL and Redis answer), Prometheus metrics and the OpenAPI description. */
public final class OpsRoutes {
  private final HealthChecks ready;
  private final PrometheusMeterRegistry registry;
  private final Buffer openApi;

  public OpsRoutes(Vertx vertx, Database db, RedisBus redis, PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.ready = HealthChecks.create(vertx)
        .register("postgresql", 2_000, p -> db.ping().onComplete(ar -> p.complete(ar.succeeded() ? Status.OK() : Status.KO())))
        .register("redis", 2_000, p -> redis.ping().onComplete(ar -> p.complete(ar.succeeded() ? Status.OK() : Status.KO())));
    try (InputStream in = OpsRoutes.class.getResourceAsStream("/openapi.yaml")) {
      this.openApi = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void mount(Router router) {
    // the process runs
    router.get("/health/live").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "UP")));
    // the process can serve: 503 until PostgreSQL and Redis answer
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    // Prometheus text exposition
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    // the HTTP contract
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml")
        .end(openApi));
  }
}
