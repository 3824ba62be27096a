package eu.consentgateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The reference the targets are relative to: a bare Vert.x HTTP server that reads each request's body and
 * answers "ok" (202 to a POST, 200 otherwise), one verticle instance per event loop.
 */
public final class BareServer {
  private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");
  private static final Buffer OK = Buffer.buffer("ok");

  private BareServer() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv, Set.of("port", "host", "instances"), Set.of());
    int port = args.integer("port", 18081, 1, 65535);
    String host = args.string("host", "127.0.0.1");
    Loopback.require(host);
    int instances = args.integer("instances", Runtime.getRuntime().availableProcessors(), 1, 64);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
    try {
      vertx.deployVerticle(() -> new Responder(host, port), new DeploymentOptions().setInstances(instances))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("bare: cannot listen on " + host + ":" + port + ": " + rootCause(e));
      vertx.close();
      System.exit(1);
    }
    System.out.println("bare: listening on http://" + host + ":" + port + " with " + instances + " instances");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
    }, "bare-shutdown"));
  }

  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  private static final class Responder extends VerticleBase {
    private final String host;
    private final int port;

    Responder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
          .requestHandler(this::answer)
          .listen();
    }

    private void answer(HttpServerRequest request) {
      int status = request.method() == HttpMethod.POST ? 202 : 200;
      // the body is read in full, as the gateway does, before answering
      request.body().onComplete(ar -> request.response()
          .setStatusCode(ar.succeeded() ? status : 400)
          .putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
          .end(OK));
    }
  }
}
