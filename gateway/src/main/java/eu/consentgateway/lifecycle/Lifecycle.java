package eu.consentgateway.lifecycle;

import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.http.Responses;
import eu.consentgateway.identity.Identity;
import eu.consentgateway.mail.MailDelivery;
import eu.consentgateway.metrics.Meters;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Audit;
import eu.consentgateway.site.Principal;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.Jobs;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data life cycle the policy promises, as jobs on the shared runner: inactivity (clause 10), policy-change
 * notices (14), e-mail delivery, and the gauges of open requests and of the breach register; plus the
 * operator's breach register (12) and dead e-mails.
 */
public final class Lifecycle {
  private final Inactivity inactivity;
  private final PolicyNotices policies;
  private final Breaches breaches;
  private final MailDelivery delivery;
  private final Identity identity;
  private final ApiKeys keys;
  private final AtomicLong overdue = new AtomicLong();
  private final AtomicLong dueSoon = new AtomicLong();
  private final AtomicLong authorityOverdue = new AtomicLong();

  public Lifecycle(Identity identity, SiteRegistry sites, MailDelivery delivery, ApiKeys keys, Audit audit,
      Clock clock, GatewayConfig.Lifecycle rules, MeterRegistry metrics) {
    this.inactivity = new Inactivity(identity, sites, clock, rules);
    this.policies = new PolicyNotices(identity, sites, rules.maxPerRun());
    this.breaches = new Breaches(identity, sites, keys, audit, delivery, clock);
    this.delivery = delivery;
    this.identity = identity;
    this.keys = keys;
    Meters.gauge(metrics, "cg_requests_overdue", "Rights requests open past their due date", overdue);
    Meters.gauge(metrics, "cg_requests_due_soon", "Rights requests open and due within 7 days", dueSoon);
    Meters.gauge(metrics, "cg_incidents_authority_overdue",
        "Incidents discovered over 72 hours ago whose notification to the authority is not recorded", authorityOverdue);
  }

  public void mount(Router router) {
    breaches.mount(router);
    // e-mails given up after their last attempt, and putting them back in the queue: an admin key scoped to
    // sites sees and requeues only the e-mails of its sites
    router.get("/v1/admin/mail/dead").handler(ctx -> keys.authenticate(ctx)
        .map(p -> p.requireRole(Principal.Role.ADMIN)).compose(p -> delivery.deadLetters(scope(p)))
        .onSuccess(list -> Responses.json(ctx, 200, new JsonObject().put("dead", new JsonArray(new ArrayList<>(list)))))
        .onFailure(ctx::fail));
    router.post("/v1/admin/mail/retry").handler(ctx -> keys.authenticate(ctx)
        .map(p -> p.requireRole(Principal.Role.ADMIN)).compose(p -> delivery.requeueDead(scope(p)))
        .onSuccess(n -> Responses.json(ctx, 200, new JsonObject().put("requeued", n))).onFailure(ctx::fail));
  }

  /** The sites a key may see, or null for a key of every site (as MailDelivery takes them). */
  private static Set<String> scope(Principal p) {
    return p.allSites() ? null : p.sites();
  }

  public void schedule(Jobs jobs) {
    jobs.schedule("mail-delivery", Duration.ofSeconds(2), Duration.ofSeconds(5), delivery::run);
    jobs.schedule("inactivity", Duration.ofMinutes(1), Duration.ofHours(1), inactivity::run);
    jobs.schedule("policy-notices", Duration.ofMinutes(1), Duration.ofMinutes(10), policies::run);
    jobs.schedule("lifecycle-gauges", Duration.ofSeconds(10), Duration.ofMinutes(1), this::gauges);
  }

  /** The jobs by name, for tests and the operator's tools. */
  public Map<String, Jobs.Job> jobs() {
    return Map.of("mail-delivery", delivery::run, "inactivity", inactivity::run, "policy-notices", policies::run,
        "lifecycle-gauges", this::gauges);
  }

  private Future<Jobs.Report> gauges(boolean dryRun) {
    return Future.all(identity.requestCounts(), identity.authorityOverdue()).map(v -> {
      long[] counts = v.resultAt(0);
      overdue.set(counts[0]);
      dueSoon.set(counts[1]);
      authorityOverdue.set(v.<Long>resultAt(1));
      return Jobs.Report.of(Map.of());
    });
  }
}
