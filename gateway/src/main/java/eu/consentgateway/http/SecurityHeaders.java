package eu.consentgateway.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries; pages that need more (CSP with nonces) add their own. Names and values are
 * encoded once (ASCII strings keep their hash and bytes), since every response of the hot paths sets them.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  private static final CharSequence[][] HEADERS = {
      pair("X-Content-Type-Options", "nosniff"),
      pair("Referrer-Policy", "no-referrer"),
      pair("X-Frame-Options", "DENY"),
      pair("Cross-Origin-Opener-Policy", "same-origin"),
      pair("Permissions-Policy", "interest-cohort=(), browsing-topics=()"),
      pair("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
      pair("Cache-Control", "no-store")};

  private static CharSequence[] pair(String name, String value) {
    return new CharSequence[] {HttpHeaders.createOptimized(name), HttpHeaders.createOptimized(value)};
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap h = ctx.response().headers();
    for (CharSequence[] header : HEADERS) {
      h.set(header[0], header[1]);
    }
    ctx.next();
  }
}
