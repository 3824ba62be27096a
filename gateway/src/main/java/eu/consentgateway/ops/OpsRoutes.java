package eu.consentgateway.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Liveness, readiness and the OpenAPI description on the public port; Prometheus metrics and the detailed
 * readiness report on the management port, which only the operator's network should reach.
 */
public final class OpsRoutes {
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private final Buffer openApi;

  public OpsRoutes(Readiness readiness, PrometheusMeterRegistry registry) {
    this.readiness = readiness;
    this.registry = registry;
    try (InputStream in = OpsRoutes.class.getResourceAsStream("/openapi.yaml")) {
      this.openApi = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The public port: what load balancers and integrators need. */
  public void mount(Router router) {
    // the process runs
    router.get("/health/live").handler(OpsRoutes::live);
    // the process can serve (status only; the detail is on the management port)
    router.get("/health/ready").handler(ctx -> ready(ctx, false));
    // the HTTP contract
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml")
        .end(openApi));
  }

  /** The management port ({@code CG_MANAGEMENT_PORT}). */
  public void mountManagement(Router router) {
    router.get("/health/live").handler(OpsRoutes::live);
    // every check, with what is wrong
    router.get("/health/ready").handler(ctx -> ready(ctx, true));
    // Prometheus text exposition
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
  }

  private static void live(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  private void ready(RoutingContext ctx, boolean detailed) {
    readiness.check().onSuccess(report -> {
      JsonObject body = detailed ? report : new JsonObject().put("status", report.getString("status"));
      ctx.response().setStatusCode(Readiness.serving(report) ? 200 : 503)
          .putHeader("content-type", "application/json").end(body.encode());
    }).onFailure(ctx::fail);
  }
}
