package eu.consentgateway.http;

import io.vertx.ext.web.RoutingContext;

/** Reads {@code Authorization: Bearer <value>}, for API keys and consent tokens alike. */
public final class Bearer {
  private static final int MAX = 4096;

  private Bearer() {
  }

  /** The bearer value, or null when absent, empty or absurdly long. */
  public static String of(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String value = header.substring(7).trim();
    return value.isEmpty() || value.length() > MAX ? null : value;
  }

  /** The bearer value, or a 401 saying what was expected. */
  public static String require(RoutingContext ctx, String what) {
    String value = of(ctx);
    if (value == null) {
      throw ApiError.unauthorized(what + " is required (Authorization: Bearer <" + what + ">)");
    }
    return value;
  }
}
