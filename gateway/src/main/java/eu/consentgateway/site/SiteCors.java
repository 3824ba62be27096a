package eu.consentgateway.site;

import eu.consentgateway.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS limited to each site's configured origins. Pre-flights carry no site id, so they are answered for any
 * origin some site lists; the actual request is then held to its own site's origins.
 */
public final class SiteCors {
  private static final String ALLOWED_HEADERS = "Content-Type, Authorization, Idempotency-Key";
  private static final CharSequence ALLOW_ORIGIN = HttpHeaders.createOptimized("Access-Control-Allow-Origin");
  private static final CharSequence VARY = HttpHeaders.createOptimized("Vary");
  private static final CharSequence ORIGIN = HttpHeaders.createOptimized("Origin");

  private SiteCors() {
  }

  /** Handles OPTIONS pre-flights on browser paths (admin paths are server to server: never allowed). */
  public static Handler<RoutingContext> preflight(SiteRegistry registry) {
    return ctx -> {
      if (ctx.request().method() != HttpMethod.OPTIONS) {
        ctx.next();
        return;
      }
      String origin = ctx.request().getHeader("Origin");
      if (ctx.normalizedPath().startsWith("/v1/admin/")) {
        ctx.fail(ApiError.forbidden("the admin API is not for browsers"));
        return;
      }
      if (origin == null || !registry.anySiteAllows(origin)) {
        ctx.fail(ApiError.forbidden("this origin is not configured for any site"));
        return;
      }
      ctx.response().setStatusCode(204)
          .putHeader("Access-Control-Allow-Origin", origin)
          .putHeader("Access-Control-Allow-Methods", "GET, POST, DELETE")
          .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
          .putHeader("Access-Control-Max-Age", "600")
          .putHeader("Vary", "Origin")
          .end();
    };
  }

  /** Whether the request comes from an origin of this site (or from no browser origin at all). */
  public static boolean allowed(RoutingContext ctx, Site site) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return true;
    }
    if (!site.allowsOrigin(origin)) {
      return false;
    }
    ctx.response().putHeader(ALLOW_ORIGIN, origin).putHeader(VARY, ORIGIN);
    return true;
  }

  /** As {@link #allowed}, refusing a foreign origin with a 403 that changes nothing. */
  public static void require(RoutingContext ctx, Site site) {
    if (!allowed(ctx, site)) {
      throw ApiError.forbidden("this origin is not configured for site '" + site.id() + "'");
    }
  }
}
