package eu.consentgateway;

import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.http.FrontDoor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One HTTP server per event loop, all sharing the port, behind the front door; stopping drains requests. */
final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final Consumer<Router> routes;
  private final FrontDoor.Shared door;
  private HttpServer server;
  private long sweep = -1;

  GatewayVerticle(GatewayConfig config, Consumer<Router> routes, FrontDoor.Shared door) {
    this.config = config;
    this.routes = routes;
    this.door = door;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.accept(router);
    FrontDoor front = new FrontDoor(config.limits(), door);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setPort(config.httpPort())
        .setHost("0.0.0.0")
        .setTcpNoDelay(true)
        .setAcceptBacklog(4096)
        .setMaxInitialLineLength(8 * 1024)
        .setMaxHeaderSize(16 * 1024)
        .setIdleTimeout(60)
        // HTTP/1.1 only: with h2c detection the connection is set up only once its first bytes arrive, which
        // would let silent connections escape the connection cap and the read deadline
        .setHttp2ClearTextEnabled(false));
    server.connectionHandler(front::onConnection)
        .invalidRequestHandler(front::onInvalidRequest)
        .requestHandler(front.requests(router));
    sweep = vertx.setPeriodic(FrontDoor.SWEEP_MS, id -> front.sweep());
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    if (sweep >= 0) {
      vertx.cancelTimer(sweep);
    }
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }
}
