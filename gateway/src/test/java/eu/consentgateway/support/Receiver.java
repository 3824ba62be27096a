package eu.consentgateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP endpoint playing a forwarding destination (outside the product, so a stand-in is fair):
 * records what it accepted, and can be made to fail like a destination that is down.
 */
public final class Receiver implements AutoCloseable {
  /** One request as received. */
  public record Hit(String path, String idempotencyKey, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Hit> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean down;

  public Receiver(String host) {
    server = TestGateway.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (down || req.path().startsWith("/always-down")) {
        refused.incrementAndGet();
        req.response().setStatusCode(503).end();
        return;
      }
      accepted.add(new Hit(req.path(), req.getHeader("Idempotency-Key"), req.getHeader("Content-Type"),
          body.toString()));
      req.response().setStatusCode(202).end();
    })).listen(0, host));
  }

  public int port() {
    return server.actualPort();
  }

  public void down(boolean down) {
    this.down = down;
  }

  public List<Hit> accepted() {
    return List.copyOf(accepted);
  }

  public int refused() {
    return refused.get();
  }

  @Override
  public void close() {
    TestGateway.await(vertx.close());
  }
}
