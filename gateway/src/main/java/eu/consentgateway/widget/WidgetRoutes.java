package eu.consentgateway.widget;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the widget bundle from the consent-widget jar: {@code /consent.js} (revalidated, ETag) and
 * {@code /consent.<hash>.js} (immutable), gzip- or brotli-compressed ahead of time.
 */
public final class WidgetRoutes {
  private static final String BASE = "/consent-widget/";
  private final Buffer plain;
  private final Buffer gzip;
  private final Buffer brotli;
  private final String hash;
  private final String etag;

  public WidgetRoutes() {
    byte[] js = read("consent.js");
    if (js == null) {
      throw new IllegalStateException("consent-widget/consent.js is missing from the classpath; build the widget module");
    }
    this.plain = Buffer.buffer(js);
    byte[] br = read("consent.js.br");
    this.brotli = br == null ? null : Buffer.buffer(br);
    this.gzip = Buffer.buffer(gzip(js));
    this.hash = sha256(js).substring(0, 16);
    this.etag = "\"" + hash + "\"";
  }


  public void mount(Router router) {
    // the widget sites embed, revalidated so a new release reaches pages within minutes
    router.get("/consent.js").handler(ctx -> serve(ctx, "public, max-age=300, stale-while-revalidate=3600"));
    // the same bytes under their content hash, cacheable for a year
    router.getWithRegex("/consent\\.([0-9a-f]{16})\\.js").handler(ctx -> {
      if (!hash.equals(ctx.pathParam("param0"))) {
        ctx.next();
        return;
      }
      serve(ctx, "public, max-age=31536000, immutable");
    });
  }

  private void serve(RoutingContext ctx, String cacheControl) {
    var response = ctx.response()
        .putHeader("content-type", "text/javascript; charset=utf-8")
        .putHeader("Cache-Control", cacheControl)
        .putHeader("ETag", etag)
        .putHeader("Vary", "Accept-Encoding")
        .putHeader("Cross-Origin-Resource-Policy", "cross-origin");
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
      return;
    }
    String accept = ctx.request().getHeader("Accept-Encoding");
    if (accept != null && brotli != null && accept.contains("br")) {
      response.putHeader("Content-Encoding", "br").end(brotli);
    } else if (accept != null && accept.contains("gzip")) {
      response.putHeader("Content-Encoding", "gzip").end(gzip);
    } else {
      response.end(plain);
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = WidgetRoutes.class.getResourceAsStream(BASE + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] gzip(byte[] data) {
    var out = new java.io.ByteArrayOutputStream();
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
