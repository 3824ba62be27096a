package eu.consentgateway.stats;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.http.Csv;
import eu.consentgateway.http.Responses;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Principal;
import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Marketing's statistics (marketing keys for their sites, admin keys too): traffic by dimension, the consent funnel,
 * a summary, each as JSON or CSV, read from rollups only. Visitors are daily uniques summed over days, each
 * figure k-anonymous per day and cell; the operator can rebuild a range of rollups.
 */
public final class StatsRoutes {
  private final SiteRegistry sites;
  private final ApiKeys keys;
  private final StatsStore store;
  private final Rollups rollups;

  StatsRoutes(SiteRegistry sites, ApiKeys keys, StatsStore store, Rollups rollups) {
    this.sites = sites;
    this.keys = keys;
    this.store = store;
    this.rollups = rollups;
  }

  public void mount(Router router) {
    // the sites this key may read
    router.get("/v1/stats/sites").handler(this::siteList);
    // traffic by page, referrer, browser, OS, device, country, language or day
    router.get("/v1/stats/:siteId/traffic").handler(this::traffic);
    // the consent funnel by day, week or month
    router.get("/v1/stats/:siteId/consent").handler(this::consent);
    // pageviews, visitors and consent coverage of a range
    router.get("/v1/stats/:siteId/summary").handler(this::summary);
    // rebuild the rollups of a range (after an import, a time-zone or k change, to backfill)
    router.post("/v1/admin/stats/rollups").handler(this::rebuild);
  }

  private Future<Principal> reader(RoutingContext ctx) {
    return keys.authenticate(ctx).map(p -> {
      if (p.role() != Principal.Role.MARKETING && p.role() != Principal.Role.ADMIN) {
        throw ApiError.forbidden("statistics need a marketing or admin key");
      }
      return p;
    });
  }

  private Future<Site> site(RoutingContext ctx) {
    String siteId = ctx.pathParam("siteId");
    return reader(ctx).compose(p -> {
      p.requireSite(siteId);
      return sites.require(siteId);
    });
  }

  private static boolean csv(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/csv");
  }

  private static void sendCsv(RoutingContext ctx, String name, String body) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"" + name + ".csv\"").end(body);
    }
  }

  private void siteList(RoutingContext ctx) {
    reader(ctx).compose(p -> readable(p).map(all -> {
      JsonArray out = new JsonArray();
      for (Site s : all) {
        out.add(new JsonObject().put("siteId", s.id()).put("name", s.name()).put("timeZone", s.timeZone().getId())
            .put("k", s.k()).put("purposes", new JsonArray(s.purposes().stream().map(Purpose::id).toList())));
      }
      return new JsonObject().put("sites", out);
    })).onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }

  /** The key's own sites, by id: loading every site of the deployment to keep a few is slow once there are many. */
  private Future<List<Site>> readable(Principal p) {
    return p.allSites() ? sites.all() : sites.some(p.sites());
  }

  private void traffic(RoutingContext ctx) {
    StatsParams q = StatsParams.parse(ctx.queryParams(), true);
    site(ctx).compose(site -> {
      Future<JsonObject> body = "day".equals(q.dimension()) ? days(site, q) : keys(site, q);
      return body.compose(b -> store.asOf(site.id(), q.from(), q.to()).map(a -> b.mergeIn(a)));
    }).onSuccess(out -> {
      if (csv(ctx)) {
        Csv c = new Csv().row("key", "pageviews", "visitors");
        out.getJsonArray("rows").forEach(r -> row(c, (JsonObject) r));
        if (out.getJsonObject("other") != null) {
          row(c, out.getJsonObject("other"));
        }
        sendCsv(ctx, "traffic-" + out.getString("siteId") + "-" + q.dimension(), c.toString());
      } else {
        Responses.json(ctx, 200, out);
      }
    }).onFailure(ctx::fail);
  }

  private static void row(Csv c, JsonObject r) {
    c.row(r.getString("key"), r.getLong("pageviews"), r.getLong("visitors"));
  }

  private JsonObject head(Site site, StatsParams q) {
    return new JsonObject().put("siteId", site.id()).put("from", q.from().toString()).put("to", q.to().toString())
        .put("timeZone", site.timeZone().getId()).put("k", site.k()).put("visitorsAre", "daily-unique");
  }

  private Future<JsonObject> keys(Site site, StatsParams q) {
    return store.traffic(site.id(), q.dimension(), q.from(), q.to(), site.k(), q.limit(), q.offset())
        .map(t -> head(site, q).put("dimension", q.dimension()).put("rows", StatsStore.array(t.rows()))
            .put("other", t.other()).put("total", t.total()).put("suppressed", t.suppressed())
            .put("limit", q.limit()).put("offset", q.offset()));
  }

  /** The daily series; a day below k is dropped and counted. */
  private Future<JsonObject> days(Site site, StatsParams q) {
    return store.days(site.id(), q.from(), q.to()).map(all -> {
      List<JsonObject> kept = all.stream().filter(d -> d.getLong("visitors") >= site.k()).toList();
      return head(site, q).put("dimension", "day").put("rows", StatsStore.array(kept)).putNull("other")
          .put("total", kept.size()).put("suppressed", all.size() - kept.size());
    });
  }

  private void consent(RoutingContext ctx) {
    StatsParams q = StatsParams.parse(ctx.queryParams(), false);
    site(ctx).compose(site -> {
      List<String> purposes = site.purposes().stream().map(Purpose::id).toList();
      Future<List<StatsStore.ConsentDay>> now = store.consent(site.id(), q.from(), q.to());
      Future<List<StatsStore.ConsentDay>> before = q.comparePrevious()
          ? store.consent(site.id(), q.previous().from(), q.previous().to()) : Future.succeededFuture(null);
      return Future.all(now, before).map(v -> {
        List<ConsentFigures.Bucket> buckets = ConsentFigures.buckets(q.from(), q.to(), q.interval(), now.result());
        JsonObject out = head(site, q).put("interval", q.interval()).put("purposes", new JsonArray(purposes))
            .put("buckets", ConsentFigures.json(buckets, purposes))
            .put("totals", ConsentFigures.total(now.result()).toJson(purposes));
        if (before.result() != null) {
          out.put("previous", new JsonObject().put("from", q.previous().from().toString())
              .put("to", q.previous().to().toString())
              .put("totals", ConsentFigures.total(before.result()).toJson(purposes)));
        }
        return new Object[] {out, ConsentFigures.csv(buckets, purposes)};
      });
    }).onSuccess(both -> {
      JsonObject out = (JsonObject) both[0];
      if (csv(ctx)) {
        sendCsv(ctx, "consent-" + out.getString("siteId"), (String) both[1]);
      } else {
        Responses.json(ctx, 200, out);
      }
    }).onFailure(ctx::fail);
  }

  private void summary(RoutingContext ctx) {
    StatsParams q = StatsParams.parse(ctx.queryParams(), false);
    site(ctx).compose(site -> Future.all(figures(site, q.from(), q.to()),
            q.comparePrevious() ? figures(site, q.previous().from(), q.previous().to()) : Future.succeededFuture())
        .map(v -> {
          JsonObject now = v.resultAt(0);
          JsonObject out = head(site, q).mergeIn(now);
          if (q.comparePrevious()) {
            JsonObject before = v.resultAt(1);
            out.put("previous", before.put("from", q.previous().from().toString())
                .put("to", q.previous().to().toString()));
          }
          return out;
        }))
        .onSuccess(out -> {
          if (csv(ctx)) {
            Csv c = new Csv().row("metric", "value", "previous");
            JsonObject prev = out.getJsonObject("previous", new JsonObject());
            for (String m : new String[] {"pageviews", "visitors", "notices", "consentCoverage", "suppressedDays"}) {
              c.row(m, out.getValue(m), prev.getValue(m));
            }
            sendCsv(ctx, "summary-" + out.getString("siteId"), c.toString());
          } else {
            Responses.json(ctx, 200, out);
          }
        }).onFailure(ctx::fail);
  }

  /** Pageviews and visitors over the days at or above k, banners shown, and the share granting statistics. */
  private Future<JsonObject> figures(Site site, LocalDate from, LocalDate to) {
    return Future.all(store.days(site.id(), from, to), store.consent(site.id(), from, to)).map(v -> {
      List<JsonObject> days = v.resultAt(0);
      long pageviews = 0;
      long visitors = 0;
      long suppressed = 0;
      for (JsonObject d : days) {
        if (d.getLong("visitors") >= site.k()) {
          pageviews += d.getLong("pageviews");
          visitors += d.getLong("visitors");
        } else {
          suppressed++;
        }
      }
      ConsentFigures.Bucket consent = ConsentFigures.total(v.resultAt(1));
      JsonObject stats = consent.toJson(List.of("statistics")).getJsonObject("purposes").getJsonObject("statistics");
      return new JsonObject().put("pageviews", pageviews).put("visitors", visitors).put("suppressedDays", suppressed)
          .put("notices", consent.counts[0]).put("consentCoverage", stats.getValue("optInRate"));
    });
  }

  private void rebuild(RoutingContext ctx) {
    keys.authenticate(ctx).compose(p -> {
      p.requireRole(Principal.Role.ADMIN);
      JsonObject body = Bodies.object(ctx);
      String siteId = Bodies.string(body, "siteId", true, 64);
      p.requireSite(siteId);
      StatsParams q = StatsParams.parse(io.vertx.core.MultiMap.caseInsensitiveMultiMap()
          .add("from", Bodies.string(body, "from", true, 10)).add("to", Bodies.string(body, "to", true, 10)), false);
      return sites.require(siteId).compose(site -> {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
          days.add(d);
        }
        long[] sums = new long[2];
        Future<Void> chain = Future.succeededFuture();
        for (LocalDate d : days) {
          chain = chain.compose(x -> rollups.rebuild(site, d).map(r -> {
            sums[0] += r.events();
            sums[1] += r.rows();
            return null;
          }));
        }
        return chain.map(x -> new JsonObject().put("siteId", siteId).put("from", q.from().toString())
            .put("to", q.to().toString()).put("days", days.size()).put("events", sums[0]).put("rows", sums[1]));
      });
    }).onSuccess(out -> Responses.json(ctx, 200, out)).onFailure(ctx::fail);
  }
}
