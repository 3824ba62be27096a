package eu.consentgateway.identity;

import eu.consentgateway.consent.ConsentRecord;
import eu.consentgateway.consent.Consents;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.http.Csv;
import eu.consentgateway.http.Responses;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Audit;
import eu.consentgateway.site.Principal;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The site backend's account endpoints (site key of the site, or an admin key) and the rights requests. */
final class AccountRoutes {
  static final String EXPORT_FORMAT = "consent-gateway-account-export/1";
  private static final Set<String> TERMINATION = Set.of("terms_breach", "fraud", "abuse", "other");

  private final Identity identity;
  private final AccountStore accounts;
  private final Requests requests;
  private final Consents consents;
  private final SiteRegistry sites;
  private final ApiKeys keys;
  private final Audit audit;
  private final Clock clock;

  AccountRoutes(Identity identity, AccountStore accounts, Requests requests, Consents consents, SiteRegistry sites,
      ApiKeys keys, Audit audit, Clock clock) {
    this.identity = identity;
    this.accounts = accounts;
    this.requests = requests;
    this.consents = consents;
    this.sites = sites;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  void mount(Router router) {
    String account = "/v1/sites/:siteId/accounts/:accountId";
    // create or rectify an account
    router.put(account).handler(this::put);
    // read an account
    router.get(account).handler(this::read);
    // an authentication happened (resets inactivity)
    router.post(account + "/logins").handler(this::login);
    // link the visitor's consent subject to the account
    router.post(account + "/subjects").handler(this::link);
    // everything held about the account (JSON or CSV)
    router.get(account + "/export").handler(this::export);
    // erasure on demand
    router.delete(account).handler(ctx -> erase(ctx, "on_demand"));
    // termination for a breach of the terms (same erasure)
    router.post(account + "/termination").handler(this::terminate);
  }

  /** A site backend of this site, or an admin; marketing keys are refused. */
  static Future<Principal> backend(RoutingContext ctx, ApiKeys keys, SiteRegistry sites) {
    String siteId = ctx.pathParam("siteId");
    return keys.authenticate(ctx).compose(p -> {
      if (p.role() == Principal.Role.MARKETING) {
        throw ApiError.forbidden("account endpoints need a site key");
      }
      p.requireSite(siteId);
      return sites.require(siteId).map(s -> p);
    });
  }

  private Future<Principal> backend(RoutingContext ctx) {
    return backend(ctx, keys, sites);
  }

  private static String accountId(RoutingContext ctx) {
    return AccountValidator.accountId(ctx.pathParam("accountId"));
  }

  private Future<JsonObject> existing(String siteId, String accountId) {
    return accounts.read(siteId, accountId).map(a -> a.orElseThrow(() -> ApiError.notFound("account")));
  }

  private void put(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    backend(ctx).compose(p -> {
      String accountId = accountId(ctx);
      JsonObject doc = AccountValidator.normalise(Bodies.object(ctx));
      return accounts.read(siteId, accountId).compose(before -> accounts.upsert(siteId, accountId, doc,
              clock.instant())
          .compose(created -> {
            List<String> changed = new ArrayList<>();
            JsonObject old = before.orElse(new JsonObject());
            for (String f : List.of("name", "email", "phone", "address", "language", "opposition")) {
              if (!java.util.Objects.equals(old.getValue(f), doc.getValue(f))) {
                changed.add(f);
              }
            }
            if (!java.util.Objects.equals(old.getValue("coordinates") == null ? null
                : old.getJsonObject("coordinates").getDouble("latitude"), doc.getDouble("latitude"))) {
              changed.add("coordinates");
            }
            Future<Void> closing = created ? Future.succeededFuture()
                : requests.fulfil(siteId, accountId, doc.getBoolean("opposition") ? new String[] {"rectification",
                    "opposition"} : new String[] {"rectification"});
            return closing.compose(v -> audit.record(p, created ? "account.create" : "account.rectify",
                    Identity.target(siteId, accountId), new JsonObject().put("fields", new JsonArray(changed))))
                .compose(v -> changed.contains("opposition") ? identity.opposition().changed()
                    : Future.succeededFuture())
                .compose(v -> existing(siteId, accountId)).map(a -> new Object[] {created, a});
          }));
    }).onSuccess(r -> Responses.json(ctx, (Boolean) r[0] ? 201 : 200, (JsonObject) r[1])).onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    backend(ctx).compose(p -> existing(ctx.pathParam("siteId"), accountId(ctx)))
        .onSuccess(a -> Responses.json(ctx, 200, a)).onFailure(ctx::fail);
  }

  private void login(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    backend(ctx).compose(p -> {
      String accountId = accountId(ctx);
      return accounts.login(siteId, accountId, clock.instant()).compose(found -> found
          ? existing(siteId, accountId) : Future.failedFuture(ApiError.notFound("account")));
    }).onSuccess(a -> Responses.json(ctx, 200, new JsonObject().put("accountId", a.getString("accountId"))
        .put("lastLoginAt", a.getString("lastLoginAt")))).onFailure(ctx::fail);
  }

  private void link(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    backend(ctx).compose(p -> {
      String accountId = accountId(ctx);
      String token = Bodies.string(Bodies.object(ctx), "token", true, 2048);
      return existing(siteId, accountId).compose(a -> sites.require(siteId)
          .compose(site -> consents.verify(token, site, true))
          .compose(v -> accounts.link(siteId, accountId, v.claims().subjectId(), clock.instant())
              .compose(x -> a.getBoolean("opposition") ? identity.opposition().changed() : Future.succeededFuture())
              .map(x -> new JsonObject().put("accountId", accountId)
                  .put("subjectId", v.claims().subjectId().toString()).put("linked", true))));
    }).onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    String format = ctx.queryParams().get("format");
    if (format != null && !format.equals("csv") && !format.equals("json")) {
      throw ApiError.badRequest("invalid_format", "format must be json or csv");
    }
    backend(ctx).compose(p -> {
      String accountId = accountId(ctx);
      return existing(siteId, accountId).compose(a -> accounts.history(siteId, accountId).compose(h ->
          sites.require(siteId).compose(site -> withConsents(site, h.getJsonArray("subjects")))
              .compose(subjects -> requests.ofAccount(siteId, accountId).map(reqs -> new JsonObject()
                  .put("format", EXPORT_FORMAT).put("exportedAt", clock.instant().toString())
                  .put("account", a).put("logins", h.getJsonArray("logins")).put("subjects", subjects)
                  .put("requests", reqs).put("notices", h.getJsonArray("notices"))))
              .compose(out -> requests.fulfil(siteId, accountId, "access", "portability").map(out))));
    }).onSuccess(out -> {
      boolean csv = "csv".equals(format);
      ctx.response().putHeader("content-type", csv ? "text/csv; charset=utf-8" : "application/json")
          .putHeader("Content-Disposition", "attachment; filename=\"account." + (csv ? "csv" : "json") + "\"")
          .end(csv ? csv(out) : out.encodePrettily());
    }).onFailure(ctx::fail);
  }

  private Future<JsonArray> withConsents(Site site, JsonArray subjects) {
    List<Future<JsonObject>> each = new ArrayList<>();
    for (Object o : subjects) {
      JsonObject s = ((JsonObject) o).copy();
      each.add(consents.history(site.id(), UUID.fromString(s.getString("subjectId"))).map(history -> {
        JsonArray events = new JsonArray();
        for (ConsentRecord r : history) {
          events.add(r.toJson().put("noticeId", r.noticeId() == null ? null : r.noticeId().toString())
              .put("textVersion", r.textHash()).put("globalPrivacyControl", r.gpc())
              .put("ipPrefix", r.ipPrefix()).put("userAgentFamily", r.uaFamily()));
        }
        return s.put("consents", events);
      }));
    }
    return Future.all(each).map(v -> new JsonArray(each.stream().map(Future::result).toList()));
  }

  /** The export as CSV: one row per value, its path in the JSON document and the value. */
  static String csv(JsonObject export) {
    Csv out = new Csv().row("path", "value");
    flatten("", export, out);
    return out.toString();
  }

  private static void flatten(String path, Object value, Csv out) {
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
      }
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        flatten(path + "[" + i + "]", a.getValue(i), out);
      }
    } else if (value != null) {
      out.row(path, value);
    }
  }

  private void erase(RoutingContext ctx, String reason) {
    String siteId = ctx.pathParam("siteId");
    backend(ctx).compose(p -> {
      String accountId = accountId(ctx);
      return identity.erase(siteId, accountId, p.keyId(), reason, null).compose(existed -> existed
          ? Future.succeededFuture(new JsonObject().put("accountId", accountId).put("erased", true)
              .put("consentProof", "kept, pseudonymous, in the consent ledger"))
          : Future.failedFuture(ApiError.notFound("account")));
    }).onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }

  private void terminate(RoutingContext ctx) {
    String reason = Bodies.string(Bodies.object(ctx), "reason", true, 32);
    if (!TERMINATION.contains(reason)) {
      throw ApiError.badRequest("invalid_reason", "reason must be one of " + String.join(", ", TERMINATION));
    }
    erase(ctx, "termination:" + reason);
  }
}
