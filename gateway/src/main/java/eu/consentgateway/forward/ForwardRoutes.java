package eu.consentgateway.forward;

import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Principal;
import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;

/** Operator view of forwarding: destination state (paused outside the EU, circuit open) and dead letters. */
public final class ForwardRoutes {
  private final Forwarder forwarder;
  private final SiteRegistry sites;
  private final ApiKeys keys;
  private final Clock clock;

  public ForwardRoutes(Forwarder forwarder, SiteRegistry sites, ApiKeys keys, Clock clock) {
    this.forwarder = forwarder;
    this.sites = sites;
    this.keys = keys;
    this.clock = clock;
  }

  public void mount(Router router) {
    // each destination's delivery state
    router.get("/v1/admin/sites/:siteId/destinations").handler(this::destinations);
    // deliveries that used up their attempts
    router.get("/v1/admin/sites/:siteId/deliveries/dead").handler(this::dead);
    // put dead letters back in the queue once the destination is fixed
    router.post("/v1/admin/sites/:siteId/deliveries/retry").handler(this::retry);
  }

  private Future<String> admin(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    return keys.authenticate(ctx).map(p -> p.requireRole(Principal.Role.ADMIN).requireSite(siteId))
        .compose(p -> sites.require(siteId)).map(site -> siteId);
  }

  private void destinations(RoutingContext ctx) {
    admin(ctx).compose(siteId -> sites.require(siteId)).map(site -> {
      JsonArray out = new JsonArray();
      Instant now = clock.instant();
      for (Object o : site.destinations()) {
        JsonObject d = (JsonObject) o;
        String id = d.getString("id");
        Instant openUntil = forwarder.breakerOpenUntil(site.id(), id);
        out.add(new JsonObject().put("id", id).put("type", d.getString("type")).put("region", d.getString("region"))
            .put("paused", forwarder.pausedBecause(site.id(), id).isPresent())
            .put("pausedBecause", forwarder.pausedBecause(site.id(), id).orElse(null))
            .put("circuitOpenUntil", openUntil.isAfter(now) ? openUntil.toString() : null));
      }
      return new JsonObject().put("destinations", out);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void dead(RoutingContext ctx) {
    admin(ctx).compose(siteId -> forwarder.store().deadLetters(siteId))
        .onSuccess(list -> ctx.json(new JsonObject().put("deadLetters", list))).onFailure(ctx::fail);
  }

  private void retry(RoutingContext ctx) {
    admin(ctx).compose(siteId -> forwarder.store().requeue(siteId, clock.instant()))
        .onSuccess(n -> ctx.json(new JsonObject().put("requeued", n))).onFailure(ctx::fail);
  }
}
