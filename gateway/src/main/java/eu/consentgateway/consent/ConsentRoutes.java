package eu.consentgateway.consent;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bearer;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.http.Responses;
import eu.consentgateway.limit.RateLimiter;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteCors;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.terminal.ClientAddress;
import eu.consentgateway.terminal.UserAgents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The browser's consent endpoints: notices, consents, current record, withdrawal, receipts. A subject id is
 * never a credential: a returning visitor proves its subject with its current, unrevoked token.
 */
public final class ConsentRoutes {
  private static final Pattern REQUEST_KEY = Pattern.compile("[A-Za-z0-9_-]{8,100}");

  private final Consents consents;
  private final SiteRegistry sites;
  private final ClientAddress addresses;
  private final UserAgents userAgents;
  private final RateLimiter limiter;
  private final String publicUrl;

  public ConsentRoutes(Consents consents, SiteRegistry sites, ClientAddress addresses, UserAgents userAgents,
      RateLimiter limiter, String publicUrl) {
    this.consents = consents;
    this.sites = sites;
    this.addresses = addresses;
    this.userAgents = userAgents;
    this.limiter = limiter;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    // the banner was shown: proof of what was displayed, and the base of opt-in rates
    router.post("/v1/sites/:siteId/notices").handler(this::notice);
    // record a consent (given or updated)
    router.post("/v1/consents").handler(this::record);
    // the token holder's current record
    router.get("/v1/consents/current").handler(this::current);
    // withdraw: every non-necessary purpose refused, old token dead everywhere
    router.post("/v1/consents/withdraw").handler(this::withdraw);
    // a consent receipt (after ISO/IEC TS 27560)
    router.get("/v1/consents/:consentId/receipt").handler(this::receipt);
  }

  private void limit(RoutingContext ctx, RateLimiter.Bucket bucket) {
    RateLimiter.Decision d = limiter.acquire(bucket, addresses.prefixOf(ctx));
    if (!d.allowed()) {
      throw ApiError.tooManyRequests(d.retryAfterSeconds());
    }
  }

  private void notice(RoutingContext ctx) {
    sites.require(ctx.pathParam("siteId")).compose(site -> {
      SiteCors.require(ctx, site);
      limit(ctx, RateLimiter.Bucket.NOTICES);
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : Bodies.object(ctx);
      String version = policyVersion(site, Bodies.string(body, "policyVersion", false, 64), false);
      String locale = locale(site, Bodies.string(body, "locale", false, 8), false);
      return consents.notice(site, version, locale);
    }).onSuccess(id -> Responses.json(ctx, 201, new JsonObject().put("noticeId", id.toString()))).onFailure(ctx::fail);
  }

  /** A JSON body naming its site in {@code siteId}, with the site found and the origin checked. */
  private record SiteBody(JsonObject body, Site site) {
  }

  private Future<SiteBody> siteBody(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    String siteId = Bodies.string(body, "siteId", true, 64);
    return sites.find(siteId).map(found -> {
      Site site = found.orElseThrow(() -> ApiError.badRequest("unknown_site", "no site '"
          + SiteRegistry.safe(siteId) + "'"));
      SiteCors.require(ctx, site);
      return new SiteBody(body, site);
    });
  }

  /**
   * Records a choice. With an Idempotency-Key seen before, the earlier answer is replayed (same body and
   * token only). Otherwise the subject is the bearer token's (checked like any token, revocation included) or
   * a new one; a body {@code subjectId} is accepted only when it is that token's subject (401 otherwise).
   */
  private void record(RoutingContext ctx) {
    siteBody(ctx).compose(sb -> {
      limit(ctx, RateLimiter.Bucket.CONSENTS);
      Site site = sb.site();
      String token = Bearer.of(ctx);
      Consents.Request parsed = parse(ctx, sb.body(), site, token);
      Future<java.util.Optional<Consents.Issued>> earlier = parsed.requestKey() == null
          ? Future.succeededFuture(java.util.Optional.empty())
          : consents.replay(site.id(), parsed.requestKey(), parsed.requestHash());
      return earlier.compose(replayed -> replayed.map(Future::succeededFuture)
          .orElseGet(() -> subject(sb.body(), site, token).compose(subject -> consents.record(
              new Consents.Request(site, subject, parsed.noticeId(), parsed.policyVersion(), parsed.locale(),
                  parsed.method(), parsed.choices(), parsed.gpc(), parsed.requestKey(), parsed.requestHash(),
                  parsed.ipPrefix(), parsed.uaFamily())))));
    }).onSuccess(issued -> Responses.json(ctx, issued.replayed() ? 200 : 201,
        consents.effectiveJson(issued.record()).put("token", issued.token()))).onFailure(ctx::fail);
  }

  /** The subject the caller proved, or null for a new one. */
  private Future<UUID> subject(JsonObject body, Site site, String token) {
    UUID claimed = uuid(Bodies.string(body, "subjectId", false, 36), "subjectId");
    if (token == null) {
      if (claimed != null) {
        return Future.failedFuture(new ApiError(401, "subject_not_proven", "a subject id is not a credential: "
            + "send the subject's current consent token (Authorization: Bearer), or no subjectId for a new subject"));
      }
      return Future.succeededFuture(null);
    }
    return consents.subjectOf(token, site).map(proven -> {
      if (claimed != null && !claimed.equals(proven)) {
        throw new ApiError(401, "subject_not_proven", "'subjectId' is not the subject of the bearer token");
      }
      return proven;
    });
  }

  /** Everything of the request but its subject, checked: the method must agree with the choices. */
  private Consents.Request parse(RoutingContext ctx, JsonObject body, Site site, String token) {
    UUID noticeId = uuid(Bodies.string(body, "noticeId", false, 36), "noticeId");
    String version = policyVersion(site, Bodies.string(body, "policyVersion", true, 64), true);
    String locale = locale(site, Bodies.string(body, "locale", true, 8), true);
    String method = ConsentChoices.method(Bodies.string(body, "method", true, 16));
    ConsentChoices decided = ConsentChoices.resolve(site, method, Bodies.object(body, "choices", true),
        "1".equals(ctx.request().getHeader("Sec-GPC")));
    String requestKey = ctx.request().getHeader("Idempotency-Key");
    if (requestKey != null && !REQUEST_KEY.matcher(requestKey).matches()) {
      throw ApiError.badRequest("invalid_idempotency_key", "Idempotency-Key must match " + REQUEST_KEY.pattern());
    }
    return new Consents.Request(site, null, noticeId, version, locale, decided.method(), decided.choices(),
        decided.gpc(), requestKey, requestKey == null ? null : requestHash(ctx, token), addresses.prefixOf(ctx),
        userAgents.parse(ctx.request().getHeader("User-Agent")).browser());
  }

  /** What an Idempotency-Key is bound to: the exact body and the token presented with it. */
  private static String requestHash(RoutingContext ctx, String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ctx.body().buffer().getBytes());
      sha.update((byte) 0);
      if (token != null) {
        sha.update(token.getBytes(StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void current(RoutingContext ctx) {
    String siteId = ctx.queryParams().get("site");
    sites.require(siteId).compose(site -> {
      SiteCors.require(ctx, site);
      return consents.verify(requireBearer(ctx), site, true);
    }).compose(verified -> consents.record(verified.claims()).map(found -> consents.effectiveJson(found
        .orElseThrow(ConsentTokens::refused)).put("renewRequired", verified.renewRequired())))
        .onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }

  private void withdraw(RoutingContext ctx) {
    siteBody(ctx).compose(sb -> consents.verify(requireBearer(ctx), sb.site(), true)
        .compose(verified -> consents.withdraw(sb.site(), verified.claims(), addresses.prefixOf(ctx),
            userAgents.parse(ctx.request().getHeader("User-Agent")).browser())))
        .onSuccess(issued -> Responses.json(ctx, 200, consents.effectiveJson(issued.record())
            .put("token", issued.token())))
        .onFailure(ctx::fail);
  }

  /** The proof of any event of the token's subject; the token itself must still stand. */
  private void receipt(RoutingContext ctx) {
    UUID consentId = uuid(ctx.pathParam("consentId"), "consentId");
    String token = requireBearer(ctx);
    sites.require(consents.siteOf(token)).compose(site -> {
      SiteCors.require(ctx, site);
      return consents.verify(token, site, true).compose(verified -> consents.store().byId(consentId).map(found -> {
        ConsentRecord record = found.filter(r -> r.subjectId().equals(verified.claims().subjectId())
            && r.siteId().equals(site.id())).orElseThrow(() -> ApiError.notFound("consent"));
        return Receipts.of(record, site, publicUrl);
      }));
    }).onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }

  /** The current version, or one published since the latest substantial version (400 naming the current). */
  private static String policyVersion(Site site, String version, boolean required) {
    if (version == null) {
      if (required) {
        throw ApiError.badRequest("missing_field", "'policyVersion' is required");
      }
      return site.policyVersion();
    }
    if (!site.acceptedVersions().contains(version)) {
      throw ApiError.badRequest("unknown_policy_version", "site '" + site.id() + "' does not accept policy version '"
          + SiteRegistry.safe(version) + "': the current version is '" + site.policyVersion() + "'");
    }
    return version;
  }

  private static String locale(Site site, String locale, boolean required) {
    if (locale == null) {
      if (required) {
        throw ApiError.badRequest("missing_field", "'locale' is required");
      }
      return site.locales().get(0);
    }
    if (!site.locales().contains(locale)) {
      throw ApiError.badRequest("invalid_locale", "site '" + site.id() + "' does not offer locale '"
          + SiteRegistry.safe(locale) + "'");
    }
    return locale;
  }

  static UUID uuid(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      UUID id = UUID.fromString(text);
      if (!id.toString().equals(text.toLowerCase())) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' must be a UUID");
    }
  }

  private static String requireBearer(RoutingContext ctx) {
    return Bearer.require(ctx, "a consent token");
  }
}
