package eu.consentgateway.lifecycle;

import eu.consentgateway.identity.Identity;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.Jobs;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clause 14: where a site asks for it ({@code notifyAccountsOfPolicyChanges}), its account holders are told by
 * e-mail of a substantial change of its privacy policy, once per version (consents are asked again anyway).
 */
final class PolicyNotices {
  private static final String KIND = "policy_change";

  private final Identity identity;
  private final SiteRegistry sites;
  private final int cap;

  PolicyNotices(Identity identity, SiteRegistry sites, int cap) {
    this.identity = identity;
    this.sites = sites;
    this.cap = cap;
  }

  Future<Jobs.Report> run(boolean dryRun) {
    Map<String, Long> counts = new HashMap<>();
    List<String> would = new ArrayList<>();
    return sites.all().compose(all -> Inactivity.each(all.stream().filter(s -> s.notifyAccountsOfPolicyChanges()
        && s.substantialChange() != null).toList(), site -> identity.notToldOfPolicy(site.id(),
        site.substantialChange(), cap).compose(holders -> Inactivity.each(holders, h -> {
          if (dryRun) {
            would.add("tell " + site.id() + " account of policy " + site.substantialChange());
            return Future.succeededFuture();
          }
          Map<String, Object> values = HolderMails.values(h, site);
          values.put("version", site.substantialChange());
          values.put("policyUrl", site.policyUrl() == null ? values.get("siteUrl") : site.policyUrl());
          return identity.notifyPolicy(HolderMails.of(KIND, h, site.substantialChange(), values))
              .map(queued -> queued ? counts.merge("queued", 1L, Long::sum) : null);
        }))))
        .map(v -> dryRun ? new Jobs.Report(Map.of(), List.copyOf(would)) : Jobs.Report.of(counts));
  }

  static boolean applies(Site site) {
    return site.notifyAccountsOfPolicyChanges() && site.substantialChange() != null;
  }
}
