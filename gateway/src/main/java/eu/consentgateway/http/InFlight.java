package eu.consentgateway.http;

import eu.consentgateway.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sheds load instead of queueing it: past {@code max} requests in progress in the process, a request gets 503
 * with {@code Retry-After} at once, before its body is read or any store is asked. Liveness is never shed.
 */
public final class InFlight implements Handler<RoutingContext> {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int max;
  private final Counter shed;

  public InFlight(int max, MeterRegistry metrics) {
    this.max = max;
    this.shed = Meters.counter(metrics, "cg_http_refused_total",
        "Connections and requests refused before reaching a route, by reason", "reason", "overload");
    Meters.gauge(metrics, "cg_http_in_flight_requests", "Requests being served now (past the cap, 503)", inFlight);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if ("/health/live".equals(ctx.request().path())) {
      ctx.next();
      return;
    }
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      shed.increment();
      ctx.response().putHeader("Retry-After", "1");
      FrontDoor.error(ctx.response(), 503, "overloaded", "the gateway is at capacity; retry in a moment", false);
      return;
    }
    ctx.addEndHandler(ar -> inFlight.decrementAndGet());
    ctx.next();
  }
}
