package eu.consentgateway.lifecycle;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.http.Responses;
import eu.consentgateway.identity.Identity;
import eu.consentgateway.mail.MailDelivery;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Audit;
import eu.consentgateway.site.Principal;
import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Clause 12 and GDPR Art. 33–34: the breach register (nature, categories and approximate numbers of people and
 * records, likely consequences, measures, contact point, discovery time, sites and accounts affected, risk) with
 * the 72-hour clock of the authority notification; a high-risk incident e-mails every affected holder once, in
 * their language, with nature, contact point, consequences and measures, and the register says who was told.
 */
final class Breaches {
  private static final String KIND = "breach_notice";
  private static final int PAGE = 500;

  private final Identity identity;
  private final SiteRegistry sites;
  private final ApiKeys keys;
  private final Audit audit;
  private final Clock clock;

  Breaches(Identity identity, SiteRegistry sites, ApiKeys keys, Audit audit, MailDelivery delivery, Clock clock) {
    this.identity = identity;
    this.sites = sites;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
    // the register records a holder as told once the SMTP server accepted the notice
    delivery.afterSent(KIND, sent -> {
      String[] key = sent.dedupeKey().split(":", 4);
      return identity.incidentNotified(UUID.fromString(key[3]), sent.siteId(), sent.accountId());
    });
  }

  void mount(Router router) {
    // record an incident; a high-risk one is notified to the holders at once
    router.post("/v1/admin/incidents").handler(this::record);
    // the register, with each incident's 72-hour authority deadline
    router.get("/v1/admin/incidents").handler(ctx -> admin(ctx).compose(p -> identity.incidents(null))
        .onSuccess(list -> Responses.json(ctx, 200, new JsonObject().put("incidents", new JsonArray(
            new ArrayList<>(list))))).onFailure(ctx::fail));
    router.get("/v1/admin/incidents/:incidentId").handler(ctx -> admin(ctx).compose(p -> one(ctx))
        .onSuccess(i -> Responses.json(ctx, 200, i)).onFailure(ctx::fail));
    // the supervisory authority was notified
    router.post("/v1/admin/incidents/:incidentId/authority").handler(this::authority);
    // queue the notices not queued yet (never twice)
    router.post("/v1/admin/incidents/:incidentId/notify").handler(ctx -> admin(ctx).compose(p -> one(ctx))
        .compose(this::notifyHolders).compose(n -> one(ctx).map(i -> i.put("queuedNow", n)))
        .onSuccess(i -> Responses.json(ctx, 200, i)).onFailure(ctx::fail));
  }

  private Future<Principal> admin(RoutingContext ctx) {
    return keys.authenticate(ctx).map(p -> p.requireRole(Principal.Role.ADMIN));
  }

  private Future<JsonObject> one(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("incidentId"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_field", "'incidentId' must be a UUID");
    }
    return identity.incidents(id).map(list -> list.stream().findFirst()
        .orElseThrow(() -> ApiError.notFound("incident")));
  }

  private void record(RoutingContext ctx) {
    admin(ctx).compose(p -> {
      JsonObject in = Bodies.object(ctx);
      JsonObject incident = validate(in);
      for (Object s : incident.getJsonArray("sites")) {
        p.requireSite((String) s);
      }
      Future<Void> known = Future.succeededFuture();
      for (Object s : incident.getJsonArray("sites")) {
        known = known.compose(v -> sites.require((String) s).mapEmpty());
      }
      return known.compose(v -> identity.recordIncident(incident))
          .compose(id -> audit.record(p, "incident.record", id.toString(), new JsonObject()
              .put("risk", incident.getString("risk")).put("sites", incident.getJsonArray("sites"))).map(id))
          .compose(id -> identity.incidents(id)).map(list -> list.get(0))
          .compose(i -> "high".equals(i.getString("risk"))
              ? notifyHolders(i.put("accounts", incident.getJsonArray("accounts"))).map(n -> i.put("queuedNow", n))
              : Future.succeededFuture(i.put("queuedNow", 0)));
    }).onSuccess(i -> Responses.json(ctx, 201, i)).onFailure(ctx::fail);
  }

  /** Queues the notice for every affected holder not queued yet; completes with how many were queued now. */
  private Future<Long> notifyHolders(JsonObject incident) {
    if (!"high".equals(incident.getString("risk"))) {
      return Future.failedFuture(ApiError.conflict("only a high-risk incident is notified to account holders"));
    }
    UUID id = UUID.fromString(incident.getString("incidentId"));
    List<String> siteIds = incident.getJsonArray("sites").stream().map(String.class::cast).toList();
    JsonArray accounts = incident.getJsonArray("accounts");
    List<String> accountIds = accounts == null ? null : accounts.stream().map(String.class::cast).toList();
    return page(id, incident, siteIds, accountIds, 0);
  }

  private Future<Long> page(UUID id, JsonObject incident, List<String> siteIds, List<String> accountIds, long done) {
    return identity.ofIncident(id, siteIds, accountIds, PAGE).compose(holders -> Inactivity.each(holders,
        h -> sites.find(h.siteId()).compose(site -> {
          Map<String, Object> values = HolderMails.values(h, site.orElse(null));
          for (String f : new String[] {"nature", "consequences", "measures", "contact"}) {
            values.put(f, incident.getString(f));
          }
          return identity.notifyIncident(id, h, HolderMails.of(KIND, h, id.toString(), values));
        })).compose(v -> holders.size() < PAGE ? Future.succeededFuture(done + holders.size())
            : page(id, incident, siteIds, accountIds, done + holders.size())));
  }

  private void authority(RoutingContext ctx) {
    admin(ctx).compose(p -> one(ctx).compose(i -> {
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : Bodies.object(ctx);
      String at = Bodies.string(body, "notifiedAt", false, 40);
      Instant when = at == null ? clock.instant() : instant(at, "notifiedAt");
      return identity.authorityNotified(UUID.fromString(i.getString("incidentId")), when)
          .compose(changed -> changed ? audit.record(p, "incident.authority", i.getString("incidentId"),
              new JsonObject()) : Future.failedFuture(ApiError.conflict("the authority notification is recorded")))
          .compose(v -> one(ctx));
    })).onSuccess(i -> Responses.json(ctx, 200, i)).onFailure(ctx::fail);
  }

  static JsonObject validate(JsonObject in) {
    JsonObject out = new JsonObject();
    for (String f : new String[] {"nature", "consequences", "measures", "contact"}) {
      out.put(f, Bodies.string(in, f, true, 4000));
    }
    JsonArray categories = Bodies.array(in, "categories", true);
    if (categories.isEmpty() || categories.stream().anyMatch(c -> !(c instanceof String s) || s.isBlank()
        || s.length() > 100)) {
      throw ApiError.badRequest("invalid_field", "'categories' lists the categories of data concerned");
    }
    out.put("categories", categories);
    for (String f : new String[] {"approxPeople", "approxRecords"}) {
      Object n = in.getValue(f);
      if (!(n instanceof Number num) || num.longValue() < 0 || num.doubleValue() != num.longValue()) {
        throw ApiError.badRequest("invalid_field", "'" + f + "' must be a whole number, 0 or more");
      }
      out.put(f, num.longValue());
    }
    String risk = Bodies.string(in, "risk", true, 8);
    if (!Set.of("low", "high").contains(risk)) {
      throw ApiError.badRequest("invalid_field", "'risk' must be low or high");
    }
    out.put("risk", risk);
    out.put("discoveredAt", instant(Bodies.string(in, "discoveredAt", true, 40), "discoveredAt").toString());
    JsonArray siteIds = Bodies.array(in, "sites", true);
    if (siteIds.isEmpty() || siteIds.stream().anyMatch(s -> !(s instanceof String))) {
      throw ApiError.badRequest("invalid_field", "'sites' lists the sites affected");
    }
    out.put("sites", siteIds);
    JsonArray accounts = Bodies.array(in, "accounts", false);
    if (accounts != null && accounts.stream().anyMatch(a -> !(a instanceof String))) {
      throw ApiError.badRequest("invalid_field", "'accounts' lists account ids (all accounts of the sites if absent)");
    }
    out.put("accounts", accounts);
    return out;
  }

  private static Instant instant(String text, String field) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' must be an ISO 8601 instant");
    }
  }
}
