package eu.consentgateway.site;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Operator endpoints (sites, policy versions, keys) and the widget's public site configuration. */
public final class SiteRoutes {
  private final SiteRegistry registry;
  private final ApiKeys keys;
  private final DestinationPolicy destinations;
  private final Audit audit;
  private final String publicUrl;

  public SiteRoutes(SiteRegistry registry, ApiKeys keys, DestinationPolicy destinations, Audit audit,
      String publicUrl) {
    this.registry = registry;
    this.keys = keys;
    this.destinations = destinations;
    this.audit = audit;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    // create or replace a site
    router.put("/v1/admin/sites/:siteId").handler(this::putSite);
    // read a site as stored
    router.get("/v1/admin/sites/:siteId").handler(this::getSite);
    // publish a policy version; a substantial one asks every visitor again
    router.post("/v1/admin/sites/:siteId/policy").handler(this::publishPolicy);
    // issue an API key (shown once)
    router.post("/v1/admin/keys").handler(this::createKey);
    // the widget's configuration for a site
    router.get("/v1/sites/:siteId/config").handler(this::publicConfig);
  }

  private Future<Principal> admin(RoutingContext ctx, String siteId) {
    return keys.authenticate(ctx).map(p -> {
      p.requireRole(Principal.Role.ADMIN);
      return siteId == null ? p : p.requireSite(siteId);
    });
  }

  private void putSite(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    admin(ctx, siteId).compose(p -> {
      JsonObject site = SiteValidator.normalise(siteId, Bodies.object(ctx));
      Set<String> purposeIds = new HashSet<>();
      site.getJsonArray("purposes").forEach(o -> purposeIds.add(((JsonObject) o).getString("id")));
      return destinations.check(siteId, site.getJsonArray("destinations"), purposeIds)
          .compose(checked -> {
            site.put("destinations", checked);
            return registry.store().put(siteId, site, registry.clock().instant());
          })
          .compose(v -> audit.record(p, "site.put", siteId, new JsonObject()))
          .compose(v -> registry.changed(siteId))
          .compose(v -> registry.require(siteId));
    }).onSuccess(site -> Responses.json(ctx, 200, registry.describe(site))).onFailure(ctx::fail);
  }

  private void getSite(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    admin(ctx, siteId).compose(p -> registry.require(siteId))
        .onSuccess(site -> Responses.json(ctx, 200, registry.describe(site))).onFailure(ctx::fail);
  }

  private void publishPolicy(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    admin(ctx, siteId).compose(p -> {
      JsonObject body = Bodies.object(ctx);
      String version = SiteValidator.version(Bodies.string(body, "version", true, 64));
      Boolean substantial = Bodies.bool(body, "substantial");
      String url = Bodies.string(body, "url", false, 2000);
      return registry.require(siteId).compose(site -> {
        JsonObject policy = new JsonObject().put("version", version);
        String effectiveUrl = url != null ? SiteValidator.httpUrl("url", url) : site.policyUrl();
        if (effectiveUrl != null) {
          policy.put("url", effectiveUrl);
        }
        boolean isSubstantial = Boolean.TRUE.equals(substantial);
        var now = registry.clock().instant();
        return registry.store().publish(siteId, policy, isSubstantial, now)
            .compose(v -> audit.record(p, "policy.publish", siteId,
                new JsonObject().put("version", version).put("substantial", isSubstantial)))
            .compose(v -> registry.changed(siteId))
            .map(v -> new JsonObject().put("siteId", siteId).put("version", version)
                .put("substantial", isSubstantial).put("publishedAt", now.toString()));
      });
    }).onSuccess(out -> Responses.json(ctx, 201, out)).onFailure(ctx::fail);
  }

  private void createKey(RoutingContext ctx) {
    admin(ctx, null).compose(p -> {
      JsonObject body = Bodies.object(ctx);
      String roleText = Bodies.string(body, "role", true, 16);
      Principal.Role role;
      try {
        role = Principal.Role.valueOf(roleText.toUpperCase());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("invalid_role", "role must be admin, marketing or site");
      }
      JsonArray sitesJson = Bodies.array(body, "sites", role != Principal.Role.ADMIN);
      List<String> sites = new ArrayList<>();
      for (Object o : sitesJson == null ? new JsonArray() : sitesJson) {
        if (!(o instanceof String s)) {
          throw ApiError.badRequest("invalid_field", "'sites' must list site ids");
        }
        p.requireSite(s);
        sites.add(s);
      }
      if (role != Principal.Role.ADMIN && sites.isEmpty()) {
        throw ApiError.badRequest("missing_field", "'sites' must name at least one site");
      }
      if (role == Principal.Role.ADMIN && sites.isEmpty() && !p.allSites()) {
        throw ApiError.forbidden("only an all-sites admin key can create another all-sites admin key");
      }
      Future<Void> allExist = Future.succeededFuture();
      for (String s : sites) {
        allExist = allExist.compose(v -> registry.find(s).compose(found -> found.isPresent()
            ? Future.succeededFuture()
            : Future.failedFuture(ApiError.badRequest("unknown_site", "no site '" + SiteRegistry.safe(s) + "'"))));
      }
      return allExist.compose(v -> keys.create(role, sites, registry.clock().instant()))
          .compose(token -> audit.record(p, "key.create", role.name().toLowerCase(),
              new JsonObject().put("sites", new JsonArray(sites))).map(token))
          .map(token -> new JsonObject().put("token", token).put("role", role.name().toLowerCase())
              .put("sites", new JsonArray(sites)));
    }).onSuccess(out -> Responses.json(ctx, 201, out)).onFailure(ctx::fail);
  }

  private void publicConfig(RoutingContext ctx) {
    registry.require(ctx.pathParam("siteId"))
        .onSuccess(site -> {
          SiteCors.allowed(ctx, site);
          ctx.response().putHeader("Cache-Control", "public, max-age=60");
          Responses.json(ctx, 200, Sites.publicConfig(site, publicUrl));
        })
        .onFailure(ctx::fail);
  }

}
