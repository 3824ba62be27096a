package eu.consentgateway;

import eu.consentgateway.http.FailureHandler;
import eu.consentgateway.ops.OpsRoutes;
import eu.consentgateway.store.Outages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/** The management port: metrics and detailed health, on an event loop of its own so overload does not mute it. */
final class ManagementVerticle extends VerticleBase {
  private final int port;
  private final OpsRoutes ops;
  private final Outages outages;
  private HttpServer server;

  ManagementVerticle(int port, OpsRoutes ops, Outages outages) {
    this.port = port;
    this.ops = ops;
    this.outages = outages;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    ops.mountManagement(router);
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(new FailureHandler(outages));
    server = vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("0.0.0.0").setIdleTimeout(60));
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
