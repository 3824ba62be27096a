package eu.consentgateway.identity;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.http.Responses;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Audit;
import eu.consentgateway.site.Principal;
import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/** Rights requests against their deadlines: the site backend records and moves them, the operator lists them. */
final class RequestRoutes {
  private static final Set<String> STATUSES = Set.of("in_progress", "done", "refused");

  private final AccountStore accounts;
  private final Requests requests;
  private final SiteRegistry sites;
  private final ApiKeys keys;
  private final Audit audit;

  RequestRoutes(AccountStore accounts, Requests requests, SiteRegistry sites, ApiKeys keys, Audit audit) {
    this.accounts = accounts;
    this.requests = requests;
    this.sites = sites;
    this.keys = keys;
    this.audit = audit;
  }

  void mount(Router router) {
    // a rights request, with its deadline
    router.post("/v1/sites/:siteId/requests").handler(this::newRequest);
    // one request
    router.get("/v1/sites/:siteId/requests/:requestId").handler(this::readRequest);
    // in progress, done, or refused with a reason
    router.post("/v1/sites/:siteId/requests/:requestId/status").handler(this::requestStatus);
    // the one extension, with a reason
    router.post("/v1/sites/:siteId/requests/:requestId/extension").handler(this::extend);
    // the operator's view of open requests
    router.get("/v1/admin/requests").handler(this::openRequests);
  }

  private Future<Principal> backend(RoutingContext ctx) {
    return AccountRoutes.backend(ctx, keys, sites);
  }

  private Future<JsonObject> existing(String siteId, String accountId) {
    return accounts.read(siteId, accountId).map(a -> a.orElseThrow(() -> ApiError.notFound("account")));
  }

  private void newRequest(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    backend(ctx).compose(p -> {
      JsonObject body = Bodies.object(ctx);
      String accountId = AccountValidator.accountId(Bodies.string(body, "accountId", true, 128));
      String kind = Bodies.string(body, "kind", true, 16);
      if (!Requests.KINDS.contains(kind)) {
        throw ApiError.badRequest("invalid_kind", "kind must be one of " + String.join(", ", Requests.KINDS));
      }
      return existing(siteId, accountId).compose(a -> requests.create(siteId, accountId, kind))
          .compose(r -> audit.record(p, "request.received", Identity.target(siteId, accountId),
              new JsonObject().put("kind", kind).put("requestId", r.getString("requestId"))).map(r));
    }).onSuccess(r -> Responses.json(ctx, 201, r)).onFailure(ctx::fail);
  }

  private UUID requestId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("requestId"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_field", "'requestId' must be a UUID");
    }
  }

  private void readRequest(RoutingContext ctx) {
    UUID id = requestId(ctx);
    backend(ctx).compose(p -> requests.read(ctx.pathParam("siteId"), id))
        .onSuccess(r -> Responses.json(ctx, 200, r)).onFailure(ctx::fail);
  }

  private void requestStatus(RoutingContext ctx) {
    UUID id = requestId(ctx);
    String siteId = ctx.pathParam("siteId");
    backend(ctx).compose(p -> {
      JsonObject body = Bodies.object(ctx);
      String status = Bodies.string(body, "status", true, 16);
      if (!STATUSES.contains(status)) {
        throw ApiError.badRequest("invalid_status", "status must be in_progress, done or refused");
      }
      return requests.setStatus(siteId, id, status, Bodies.string(body, "reason", false, 1000))
          .compose(r -> audit.record(p, "request." + status, siteId, new JsonObject().put("requestId", id.toString()))
              .map(r));
    }).onSuccess(r -> Responses.json(ctx, 200, r)).onFailure(ctx::fail);
  }

  private void extend(RoutingContext ctx) {
    UUID id = requestId(ctx);
    String siteId = ctx.pathParam("siteId");
    backend(ctx).compose(p -> {
      JsonObject body = Bodies.object(ctx);
      Object months = body.getValue("months");
      if (!(months instanceof Integer m)) {
        throw ApiError.badRequest("invalid_extension", "'months' must be 1 or 2");
      }
      return requests.extend(siteId, id, m, Bodies.string(body, "reason", true, 1000))
          .compose(r -> audit.record(p, "request.extended", siteId, new JsonObject().put("requestId", id.toString())
              .put("months", m)).map(r));
    }).onSuccess(r -> Responses.json(ctx, 200, r)).onFailure(ctx::fail);
  }

  private void openRequests(RoutingContext ctx) {
    boolean overdue = "true".equals(ctx.queryParams().get("overdue"));
    keys.authenticate(ctx).compose(p -> {
      p.requireRole(Principal.Role.ADMIN);
      return requests.open(overdue).map(all -> {
        JsonArray mine = new JsonArray();
        all.forEach(r -> {
          if (p.allSites() || p.sites().contains(((JsonObject) r).getString("siteId"))) {
            mine.add(r);
          }
        });
        return new JsonObject().put("requests", mine);
      });
    }).onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }
}
