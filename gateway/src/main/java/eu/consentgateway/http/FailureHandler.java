package eu.consentgateway.http;

import eu.consentgateway.store.Outages;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler: known errors become 4xx with a JSON body, anything else a generic 500. */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private final Outages outages;

  /** {@code outages} counts and logs the 503s given for a store that could not answer. */
  public FailureHandler(Outages outages) {
    this.outages = outages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return; // answered already (the request overran its deadline and got a 503)
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    int status;
    String code;
    String message;
    String store = failure == null ? null : Outages.store(failure);
    if (failure instanceof ApiError e) {
      status = e.status();
      code = e.code();
      message = e.getMessage();
      if (e.retryAfterSeconds() > 0) {
        ctx.response().putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
      }
    } else if (store != null) {
      outages.seen(store, failure);
      status = 503;
      code = "unavailable";
      message = "a store the gateway needs did not answer in time; retry shortly (a repeated Idempotency-Key "
          + "or eventId is applied once)";
      ctx.response().putHeader("Retry-After", "5");
    } else if (failure instanceof HttpException e && e.getStatusCode() < 500) {
      status = e.getStatusCode();
      code = codeFor(status);
      message = messageFor(status);
    } else if (failure == null && ctx.statusCode() > 0 && ctx.statusCode() < 500) {
      status = ctx.statusCode();
      code = codeFor(status);
      message = messageFor(status);
    } else {
      status = 500;
      code = "internal_error";
      message = "the gateway could not complete the request";
      LOG.error("unhandled failure [method={}] [path={}]", ctx.request().method(), ctx.normalizedPath(), failure);
    }
    if (status < 500) {
      LOG.debug("refused [method={}] [path={}] [status={}] [error={}]", ctx.request().method(),
          ctx.normalizedPath(), status, code);
    }
    send(ctx, status, code, message);
  }

  public static void send(RoutingContext ctx, int status, String code, String message) {
    Responses.json(ctx, status, new JsonObject().put("error", code).put("message", message));
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "rate_limited";
      case 431 -> "headers_too_large";
      default -> "client_error";
    };
  }

  private static String messageFor(int status) {
    return switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this path";
      case 413 -> "the request body is too large";
      case 415 -> "unsupported content type";
      case 431 -> "the request headers are too large";
      default -> "the request was refused";
    };
  }
}
