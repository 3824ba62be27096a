package eu.consentgateway;

import eu.consentgateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One HTTP server per event loop, all sharing the port; stopping drains requests in flight. */
final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final Consumer<Router> routes;
  private HttpServer server;

  GatewayVerticle(GatewayConfig config, Consumer<Router> routes) {
    this.config = config;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.accept(router);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setPort(config.httpPort())
        .setHost("0.0.0.0")
        .setTcpNoDelay(true)
        .setMaxHeaderSize(16 * 1024)
        .setIdleTimeout(60));
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }

}
