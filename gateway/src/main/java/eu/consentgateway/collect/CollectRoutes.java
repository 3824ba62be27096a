package eu.consentgateway.collect;

import eu.consentgateway.consent.Consents;
import eu.consentgateway.consent.TokenClaims;
import eu.consentgateway.forward.Outbox;
import eu.consentgateway.forward.OutboxRow;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.limit.RateLimiter;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteCors;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.BatchWriter;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.store.WriteHealth;
import eu.consentgateway.terminal.ClientAddress;
import eu.consentgateway.terminal.GeoIp;
import eu.consentgateway.terminal.UserAgents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /v1/collect}: a beacon is stored and queued for forwarding only under a valid consent for
 * statistics; without one the answer is 204 and nothing is stored, queued, counted or logged. When the
 * consent cannot be checked or the beacon cannot be stored (a store is down) the answer is 503, never a 204.
 */
public final class CollectRoutes {
  static final String PURPOSE = "statistics";
  private static final long SALT_PURGE_MS = 10 * 60_000L;

  private final SiteRegistry sites;
  private final Consents consents;
  private final Enricher enricher;
  private final VisitorSalt salt;
  private final Clock clock;
  private final RateLimiter limiter;
  private final ClientAddress addresses;
  private final BatchWriter<CollectStore.Item, Void> writer;

  public CollectRoutes(SiteRegistry sites, Consents consents, Pool terminalPool, Pool gatewayPool, RedisBus redis,
      UserAgents userAgents, GeoIp geo, ClientAddress addresses, Clock clock, RateLimiter limiter,
      WriteHealth writes) {
    this.sites = sites;
    this.consents = consents;
    this.enricher = new Enricher(userAgents, geo, addresses);
    this.salt = new VisitorSalt(redis, terminalPool, gatewayPool, clock);
    this.clock = clock;
    this.limiter = limiter;
    this.addresses = addresses;
    CollectStore store = new CollectStore(terminalPool);
    // one writer for every event loop: one commit in flight gathers what all of them accepted meanwhile, so
    // PostgreSQL commits less often than with a writer per loop, and much of its work is per commit
    this.writer = store.writer(writes);
  }

  public void mount(Router router) {
    // an analytics beacon (JSON, or text/plain from sendBeacon)
    router.post("/v1/collect").handler(this::collect);
  }

  /** Deletes expired visitor salts now and every ten minutes; returns the timer. */
  public long start(Vertx vertx) {
    salt.purge().onFailure(e -> { /* next round */ });
    return vertx.setPeriodic(SALT_PURGE_MS, id -> salt.purge().onFailure(e -> { /* next round */ }));
  }

  private void collect(RoutingContext ctx) {
    RateLimiter.Decision allowed = limiter.acquire(RateLimiter.Bucket.COLLECT, addresses.prefixOf(ctx));
    if (!allowed.allowed()) {
      throw ApiError.tooManyRequests(allowed.retryAfterSeconds());
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !type.startsWith("application/json") && !type.startsWith("text/plain")) {
      throw new ApiError(415, "unsupported_media_type", "send the beacon as application/json or text/plain");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiError.badRequest("empty_body", "a JSON object body is required");
    }
    Beacon beacon = Beacon.parse(Bodies.parseObject(body));
    sites.find(beacon.siteId()).compose(found -> {
      Site site = found.orElseThrow(() -> new ApiError(404, "unknown_site", "no such site"));
      if (beacon.token() == null || !SiteCors.allowed(ctx, site)) {
        return Future.succeededFuture(false);
      }
      return consents.verifyQuietly(beacon.token(), site)
          .compose(claims -> claims.grants(PURPOSE) ? store(ctx, site, beacon, claims) : Future.succeededFuture(false),
              // a refused token is "no consent"; a consent that could not be checked is an outage
              refused -> refused instanceof ApiError ? Future.succeededFuture(false) : Future.failedFuture(refused));
    }).onSuccess(stored -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(stored ? 202 : 204).end();
      }
    }).onFailure(ctx::fail);
  }

  private Future<Boolean> store(RoutingContext ctx, Site site, Beacon beacon, TokenClaims claims) {
    return salt.today(site).compose(daySalt -> {
      Instant now = clock.instant();
      TerminalEvent event = enricher.enrich(beacon, ctx, now, salt.hash(daySalt, site.id(), claims.subjectId()));
      List<OutboxRow> deliveries = site.destinations().isEmpty() ? List.of()
          : Outbox.plan(site, claims.granted(), claims.consentId(), payload(event), now);
      return writer.submit(new CollectStore.Item(event, deliveries)).map(true);
    });
  }

  /** What destinations receive: the terminal event without the visitor hash. */
  static JsonObject payload(TerminalEvent e) {
    JsonObject screen = e.screenW() == null ? null : new JsonObject().put("w", e.screenW()).put("h", e.screenH());
    return new JsonObject()
        .put("type", e.type())
        .put("name", e.name())
        .put("page", e.page())
        .put("referrerHost", e.referrerHost())
        .put("props", e.props())
        .put("receivedAt", e.receivedAt().toString())
        .put("browser", e.browser())
        .put("browserMajor", e.browserMajor())
        .put("os", e.os())
        .put("device", e.device())
        .put("country", e.country())
        .put("region", e.region())
        .put("city", e.city())
        .put("language", e.language())
        .put("screen", screen);
  }
}
