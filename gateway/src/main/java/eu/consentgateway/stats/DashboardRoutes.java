package eu.consentgateway.stats;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the marketing dashboard from the dashboard jar: {@code /dashboard} (the page, never cached, under a CSP
 * that admits only this origin's script, style and API) and {@code /dashboard/<name>-<hash>.js|css} (immutable).
 * The page holds no figure and no key: it signs in and reads the statistics API itself.
 */
final class DashboardRoutes {
  private static final String BASE = "/dashboard/";
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private record Asset(String type, String etag, Buffer plain, Buffer gzip) {
  }

  private final Buffer index;
  private final Map<String, Asset> assets = new HashMap<>();

  DashboardRoutes() {
    JsonObject manifest = new JsonObject(Buffer.buffer(require("assets.json")));
    this.index = Buffer.buffer(require(manifest.getString("index")));
    for (Object name : manifest.getJsonArray("assets")) {
      byte[] bytes = require((String) name);
      String type = ((String) name).endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
      assets.put((String) name, new Asset(type, "\"" + sha256(bytes).substring(0, 16) + "\"", Buffer.buffer(bytes),
          Buffer.buffer(gzip(bytes))));
    }
  }

  void mount(Router router) {
    // the dashboard page
    router.get("/dashboard").handler(this::page);
    // its script and style sheet, under their content hash
    router.get("/dashboard/:asset").handler(this::asset);
  }

  private void page(RoutingContext ctx) {
    if (ctx.request().path().endsWith("/")) {
      // the page's links are relative to /dashboard: from /dashboard/ they would miss
      ctx.response().setStatusCode(301).putHeader("Location", "../dashboard").end();
      return;
    }
    ctx.response().putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("Cache-Control", "no-store")
        .end(index);
  }

  private void asset(RoutingContext ctx) {
    Asset a = assets.get(ctx.pathParam("asset"));
    if (a == null) {
      ctx.next();
      return;
    }
    var response = ctx.response().putHeader("content-type", a.type()).putHeader("Cache-Control", IMMUTABLE)
        .putHeader("ETag", a.etag()).putHeader("Vary", "Accept-Encoding");
    String accept = ctx.request().getHeader("Accept-Encoding");
    if (a.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
    } else if (accept != null && accept.contains("gzip")) {
      response.putHeader("Content-Encoding", "gzip").end(a.gzip());
    } else {
      response.end(a.plain());
    }
  }

  private static byte[] require(String name) {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard/" + name + " is missing from the classpath; build the dashboard"
            + " module");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("dashboard/" + name + " cannot be read", e);
    }
  }

  private static byte[] gzip(byte[] data) {
    var out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out) {
      {
        def.setLevel(9);
      }
    }) {
      gz.write(data);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
