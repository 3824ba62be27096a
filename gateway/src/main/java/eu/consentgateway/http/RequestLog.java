package eu.consentgateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One debug line per request: method, path without query, status, time; never an address, token or cookie. */
public final class RequestLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("eu.consentgateway.access");

  @Override
  public void handle(RoutingContext ctx) {
    if (LOG.isDebugEnabled()) {
      long start = System.nanoTime();
      ctx.addBodyEndHandler(v -> LOG.debug("[method={}] [path={}] [status={}] [micros={}]", ctx.request().method(),
          ctx.normalizedPath(), ctx.response().getStatusCode(), (System.nanoTime() - start) / 1000));
    }
    ctx.next();
  }
}
