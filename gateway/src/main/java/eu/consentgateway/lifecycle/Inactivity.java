package eu.consentgateway.lifecycle;

import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.identity.Identity;
import eu.consentgateway.mail.Mail;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.Jobs;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clause 10: after three years without an authentication, the account holder is invited by e-mail to log in;
 * reminders follow before the grace period ends (15 and 3 days before, by default); a login meanwhile ends it all;
 * at the end the account is erased and a final notice goes out. Each step is one transaction with its e-mail, keyed
 * by the inactivity cycle, so nothing is sent twice whatever restarts or instances; a run touches at most the cap.
 */
final class Inactivity {
  private final Identity identity;
  private final SiteRegistry sites;
  private final Clock clock;
  private final GatewayConfig.Lifecycle rules;

  Inactivity(Identity identity, SiteRegistry sites, Clock clock, GatewayConfig.Lifecycle rules) {
    this.identity = identity;
    this.sites = sites;
    this.clock = clock;
    this.rules = rules;
  }

  Future<Jobs.Report> run(boolean dryRun) {
    Instant now = clock.instant();
    Instant cutoff = now.atOffset(ZoneOffset.UTC).minus(rules.inactivity()).toInstant();
    Map<String, Long> counts = new HashMap<>();
    List<String> would = new ArrayList<>();
    return identity.toInvite(cutoff, rules.maxPerRun()).compose(holders -> each(holders, h -> {
      Instant deadline = now.plus(rules.grace());
      if (dryRun) {
        would.add("invite " + h.siteId() + " account, deletion on " + deadline);
        return Future.succeededFuture();
      }
      return mail("inactivity_invite", h, h.lastActive().toString(), deadline, 0)
          .compose(m -> identity.invite(h, deadline, cutoff, m)).map(sent -> count(counts, "invited", sent));
    })).compose(v -> reminders(now, 0, counts, would, dryRun))
        .compose(v -> identity.toDelete(now, rules.maxPerRun())).compose(holders -> each(holders, h -> {
          if (dryRun) {
            would.add("delete " + h.siteId() + " account inactive since " + h.lastActive());
            return Future.succeededFuture();
          }
          return mail("inactivity_deleted", h, h.lastActive().toString(), h.deadline(), 0)
              .compose(m -> identity.deleteInactive(h, m)).map(done -> count(counts, "deleted", done));
        }))
        .map(v -> dryRun ? new Jobs.Report(Map.of(), List.copyOf(would)) : Jobs.Report.of(counts));
  }

  private Future<Void> reminders(Instant now, int i, Map<String, Long> counts, List<String> would, boolean dryRun) {
    if (i >= rules.remindersDaysLeft().size()) {
      return Future.succeededFuture();
    }
    int days = rules.remindersDaysLeft().get(i);
    return identity.toRemind(now, days, rules.maxPerRun()).compose(holders -> each(holders, h -> {
      if (dryRun) {
        would.add("remind " + h.siteId() + " account, " + days + " days left");
        return Future.succeededFuture();
      }
      return mail("inactivity_reminder", h, h.lastActive() + ":" + days, h.deadline(), days)
          .compose(m -> identity.remind(h, days, m)).map(sent -> count(counts, "reminded", sent));
    })).compose(v -> reminders(now, i + 1, counts, would, dryRun));
  }

  private Future<Mail> mail(String kind, Identity.Holder h, String occasion, Instant deadline, int daysLeft) {
    return sites.find(h.siteId()).map(found -> {
      Site site = found.orElse(null);
      Map<String, Object> values = HolderMails.values(h, site);
      values.put("years", rules.inactivity().getYears());
      values.put("deadline", HolderMails.date(deadline, h.language(),
          Optional.ofNullable(site).map(Site::timeZone).orElse(ZoneOffset.UTC)));
      values.put("daysLeft", daysLeft);
      return HolderMails.of(kind, h, occasion, values);
    });
  }

  private static Void count(Map<String, Long> counts, String what, boolean happened) {
    if (happened) {
      counts.merge(what, 1L, Long::sum);
    }
    return null;
  }

  /** One after the other: a run is a trickle, not a burst on the database. */
  static <T> Future<Void> each(List<T> items, java.util.function.Function<T, Future<?>> action) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> action.apply(item).mapEmpty());
    }
    return chain;
  }
}
