package eu.consentgateway.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Ends responses the same way everywhere. */
public final class Responses {
  private Responses() {
  }

  /** Ends the response with a JSON body and the given status. */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return; // answered already (the request overran its deadline and got a 503)
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
