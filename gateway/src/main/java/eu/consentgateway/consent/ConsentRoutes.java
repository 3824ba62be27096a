package eu.consentgateway.consent;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bearer;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.http.Responses;
import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteCors;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.site.SiteRoutes;
import eu.consentgateway.terminal.ClientAddress;
import eu.consentgateway.terminal.UserAgents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** The browser's consent endpoints: notices, consents, current record, withdrawal, receipts. */
public final class ConsentRoutes {
  private static final Set<String> METHODS = Set.of("accept_all", "reject_all", "custom", "gpc");
  private static final Pattern REQUEST_KEY = Pattern.compile("[A-Za-z0-9_-]{8,100}");

  private final Consents consents;
  private final SiteRegistry sites;
  private final ClientAddress addresses;
  private final UserAgents userAgents;

  public ConsentRoutes(Consents consents, SiteRegistry sites, ClientAddress addresses, UserAgents userAgents) {
    this.consents = consents;
    this.sites = sites;
    this.addresses = addresses;
    this.userAgents = userAgents;
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

  private void notice(RoutingContext ctx) {
    sites.require(ctx.pathParam("siteId")).compose(site -> {
      SiteCors.require(ctx, site);
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

  private void record(RoutingContext ctx) {
    siteBody(ctx).compose(sb -> consents.record(parse(ctx, sb.body(), sb.site()))).onSuccess(issued -> Responses.json(ctx, issued.replayed() ? 200 : 201, issued.record().toJson().put("token", issued.token())))
        .onFailure(ctx::fail);
  }

  private Consents.Request parse(RoutingContext ctx, JsonObject body, Site site) {
    UUID subjectId = uuid(Bodies.string(body, "subjectId", false, 36), "subjectId");
    UUID noticeId = uuid(Bodies.string(body, "noticeId", false, 36), "noticeId");
    String version = policyVersion(site, Bodies.string(body, "policyVersion", true, 64), true);
    String locale = locale(site, Bodies.string(body, "locale", true, 8), true);
    String method = Bodies.string(body, "method", true, 16);
    if (!METHODS.contains(method)) {
      throw ApiError.badRequest("invalid_method", "'method' must be accept_all, reject_all, custom or gpc");
    }
    JsonObject given = Bodies.object(body, "choices", true);
    for (String key : given.fieldNames()) {
      if (site.purpose(key).isEmpty()) {
        throw ApiError.badRequest("unknown_purpose", "site '" + site.id() + "' has no purpose '"
            + key.substring(0, Math.min(32, key.length())) + "'");
      }
      if (!(given.getValue(key) instanceof Boolean)) {
        throw ApiError.badRequest("invalid_field", "choice '" + key + "' must be true or false");
      }
    }
    boolean gpc = "1".equals(ctx.request().getHeader("Sec-GPC")) || "gpc".equals(method);
    Map<String, Boolean> choices = new HashMap<>();
    for (Purpose p : site.purposes()) {
      boolean wanted = p.required() || given.getBoolean(p.id(), false);
      if ("accept_all".equals(method) && given.containsKey(p.id()) && !wanted) {
        throw ApiError.badRequest("inconsistent_choices", "accept_all cannot refuse '" + p.id() + "'");
      }
      if ("reject_all".equals(method) && !p.required() && wanted) {
        throw ApiError.badRequest("inconsistent_choices", "reject_all cannot grant '" + p.id() + "'");
      }
      choices.put(p.id(), wanted && !(gpc && p.gpc()));
    }
    String requestKey = ctx.request().getHeader("Idempotency-Key");
    if (requestKey != null && !REQUEST_KEY.matcher(requestKey).matches()) {
      throw ApiError.badRequest("invalid_idempotency_key", "Idempotency-Key must match " + REQUEST_KEY.pattern());
    }
    if (subjectId == null) {
      subjectId = subjectFromToken(ctx, site);
    }
    return new Consents.Request(site, subjectId, noticeId, version, locale, method, Map.copyOf(choices), gpc,
        requestKey, ClientAddress.prefix(addresses.truncated(ctx)),
        userAgents.parse(ctx.request().getHeader("User-Agent")).browser());
  }

  /** A returning visitor that sends its token but no subject id keeps its subject. */
  private UUID subjectFromToken(RoutingContext ctx, Site site) {
    String token = Bearer.of(ctx);
    if (token == null) {
      return null;
    }
    try {
      return consents.readable(token, site.id()).subjectId();
    } catch (ApiError e) {
      return null;
    }
  }

  private void current(RoutingContext ctx) {
    String siteId = ctx.queryParams().get("site");
    sites.require(siteId).compose(site -> {
      SiteCors.require(ctx, site);
      return consents.verify(requireBearer(ctx), site, true);
    }).compose(verified -> consents.record(verified.claims()).map(found -> found
        .orElseThrow(ConsentTokens::refused).toJson().put("renewRequired", verified.renewRequired())))
        .onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }

  private void withdraw(RoutingContext ctx) {
    siteBody(ctx).compose(sb -> consents.verify(requireBearer(ctx), sb.site(), true)
        .compose(verified -> consents.withdraw(sb.site(), verified.claims(),
            ClientAddress.prefix(addresses.truncated(ctx)),
            userAgents.parse(ctx.request().getHeader("User-Agent")).browser()))).onSuccess(issued -> Responses.json(ctx, 200, issued.record().toJson().put("token", issued.token())))
        .onFailure(ctx::fail);
  }

  private void receipt(RoutingContext ctx) {
    UUID consentId = uuid(ctx.pathParam("consentId"), "consentId");
    Future.succeededFuture(consents.readable(requireBearer(ctx), null))
        .compose(claims -> consents.store().byId(consentId).compose(found -> {
          ConsentRecord record = found.filter(r -> r.subjectId().equals(claims.subjectId())
              && r.siteId().equals(claims.siteId())).orElseThrow(() -> ApiError.notFound("consent"));
          return sites.require(record.siteId()).map(site -> {
            SiteCors.require(ctx, site);
            return Receipts.of(record, site, SiteRoutes.gatewayBase(ctx));
          });
        }))
        .onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }

  private static String policyVersion(Site site, String version, boolean required) {
    if (version == null) {
      if (required) {
        throw ApiError.badRequest("missing_field", "'policyVersion' is required");
      }
      return site.policyVersion();
    }
    if (!site.versions().contains(version)) {
      throw ApiError.badRequest("unknown_policy_version", "site '" + site.id() + "' has no policy version '"
          + version.substring(0, Math.min(64, version.length())) + "'");
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
      throw ApiError.badRequest("invalid_locale", "site '" + site.id() + "' does not offer locale '" + locale + "'");
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
