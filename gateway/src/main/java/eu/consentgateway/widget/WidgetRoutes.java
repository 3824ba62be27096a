package eu.consentgateway.widget;

import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.site.Sites;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the widget bundle from the consent-widget jar: {@code /consent.js} (revalidated, ETag),
 * {@code /consent.<hash>.js} (immutable), both gzip- or brotli-compressed ahead of time, and
 * {@code /consent.js?site=ID}, the same bundle with that site's public config inside so the banner opens
 * without a config round trip (short-lived: the config can change).
 */
public final class WidgetRoutes {
  private static final String BASE = "/consent-widget/";
  /** The string literal, quotes included, that the site-specific script replaces with the config's JSON. */
  static final String CONFIG_MARK = "\"__CG_SITE_CONFIG__\"";
  private static final String GENERIC_CACHE = "public, max-age=300, stale-while-revalidate=3600";
  private static final String SITE_CACHE = "public, max-age=60";

  private final SiteRegistry sites;
  private final String publicUrl;
  private final String source;
  private final Body generic;
  private final Buffer brotli;
  private final String hash;
  // site-specific bodies by the hash of what went into them, so a config change makes a new entry
  private final Cache<String, Body> perSite = Caches.builder().maximumSize(256).build();

  private record Body(String etag, Buffer plain, Buffer gzip) {
  }

  public WidgetRoutes(SiteRegistry sites, String publicUrl) {
    this.sites = sites;
    this.publicUrl = publicUrl;
    byte[] js = read("consent.js");
    if (js == null) {
      throw new IllegalStateException("consent-widget/consent.js is missing from the classpath; build the widget module");
    }
    this.source = new String(js, StandardCharsets.UTF_8);
    if (source.indexOf(CONFIG_MARK) < 0 || source.indexOf(CONFIG_MARK) != source.lastIndexOf(CONFIG_MARK)) {
      throw new IllegalStateException("consent-widget/consent.js must hold " + CONFIG_MARK + " once; rebuild the widget");
    }
    byte[] br = read("consent.js.br");
    this.brotli = br == null ? null : Buffer.buffer(br);
    this.hash = sha256(js).substring(0, 16);
    this.generic = new Body("\"" + hash + "\"", Buffer.buffer(js), Buffer.buffer(gzip(js)));
  }

  public void mount(Router router) {
    // the widget sites embed, revalidated so a new release reaches pages within minutes; with ?site= the
    // site's config travels inside
    router.get("/consent.js").handler(this::widget);
    // the same bytes under their content hash, cacheable for a year
    router.getWithRegex("/consent\\.([0-9a-f]{16})\\.js").handler(ctx -> {
      if (!hash.equals(ctx.pathParam("param0"))) {
        ctx.next();
        return;
      }
      serve(ctx, generic, brotli, "public, max-age=31536000, immutable");
    });
  }

  private void widget(RoutingContext ctx) {
    String siteId = ctx.request().getParam("site");
    if (siteId == null) {
      serve(ctx, generic, brotli, GENERIC_CACHE);
      return;
    }
    Sites.requireWellFormedId(siteId);
    // an unknown site gets the plain bundle: it asks for the config, warns once and shows nothing; so does a
    // site that cannot be read now (the widget then retries the config itself), for a short while only
    sites.find(siteId).onSuccess(site -> {
      if (site.isPresent()) {
        serve(ctx, forSite(site.get()), null, SITE_CACHE);
      } else {
        serve(ctx, generic, brotli, GENERIC_CACHE);
      }
    }).onFailure(e -> serve(ctx, generic, brotli, SITE_CACHE));
  }

  private Body forSite(Site site) {
    // JSON is JavaScript, but for the two line separators older engines reject inside string literals
    String json = Sites.publicConfig(site, publicUrl).encode()
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    String key = sha256(json.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return perSite.get(key, k -> {
      byte[] js = source.replace(CONFIG_MARK, json).getBytes(StandardCharsets.UTF_8);
      return new Body("\"" + hash + "-" + k + "\"", Buffer.buffer(js), Buffer.buffer(gzip(js)));
    });
  }

  private static void serve(RoutingContext ctx, Body body, Buffer brotli, String cacheControl) {
    var response = ctx.response()
        .putHeader("content-type", "text/javascript; charset=utf-8")
        .putHeader("Cache-Control", cacheControl)
        .putHeader("ETag", body.etag())
        .putHeader("Vary", "Accept-Encoding")
        .putHeader("Cross-Origin-Resource-Policy", "cross-origin")
        // public bytes: a page may load them with crossorigin="anonymous" (no credentials, full error reports)
        .putHeader("Access-Control-Allow-Origin", "*");
    if (body.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
      return;
    }
    String accept = ctx.request().getHeader("Accept-Encoding");
    if (accept != null && brotli != null && accept.contains("br")) {
      response.putHeader("Content-Encoding", "br").end(brotli);
    } else if (accept != null && accept.contains("gzip")) {
      response.putHeader("Content-Encoding", "gzip").end(body.gzip());
    } else {
      response.end(body.plain());
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
