package eu.consentgateway.rights;

import eu.consentgateway.consent.Consents;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bearer;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteCors;
import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/** The visitor's own data through its consent token: export (JSON or CSV) and erasure. */
public final class MeRoutes {
  private final Consents consents;
  private final SiteRegistry sites;
  private final Clock clock;

  public MeRoutes(Consents consents, SiteRegistry sites, Clock clock) {
    this.consents = consents;
    this.sites = sites;
    this.clock = clock;
  }

  public void mount(Router router) {
    // download everything held about me
    router.get("/v1/me/export").handler(this::export);
    // erase everything held about me
    router.delete("/v1/me").handler(this::erase);
  }

  private Future<Visitor> visitor(RoutingContext ctx) {
    return sites.require(ctx.queryParams().get("site")).compose(site -> {
      SiteCors.require(ctx, site);
      return consents.verify(Bearer.require(ctx, "a consent token"), site, true)
          .map(v -> new Visitor(site, v.claims()));
    });
  }

  record Visitor(Site site, eu.consentgateway.consent.TokenClaims claims) {
  }

  private void export(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    if (format != null && !format.equals("csv") && !format.equals("json")) {
      ctx.fail(ApiError.badRequest("invalid_format", "format must be json or csv"));
      return;
    }
    visitor(ctx).compose(v -> consents.history(v.site().id(), v.claims().subjectId()).map(history -> {
      send(ctx, v.site(), v.claims().subjectId().toString(), history, "csv".equals(format), clock);
      return null;
    })).onFailure(ctx::fail);
  }

  static void send(RoutingContext ctx, Site site, String subjectId, java.util.List<eu.consentgateway.consent.ConsentRecord> history,
      boolean csv, Clock clock) {
    String name = "consent-" + site.id() + (csv ? ".csv" : ".json");
    ctx.response()
        .putHeader("content-type", csv ? "text/csv; charset=utf-8" : "application/json")
        .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .end(csv ? Exports.csv(site, history) : Exports.json(site, subjectId, history, clock.instant()).encodePrettily());
  }

  private void erase(RoutingContext ctx) {
    visitor(ctx).compose(v -> consents.erase(v.site(), v.claims()))
        .onSuccess(n -> ctx.json(new JsonObject().put("erased", n).put("technicalData", Exports.TECHNICAL_DATA)))
        .onFailure(ctx::fail);
  }

}
