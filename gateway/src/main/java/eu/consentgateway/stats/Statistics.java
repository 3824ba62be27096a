package eu.consentgateway.stats;

import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.Database;
import eu.consentgateway.store.Jobs;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;

/**
 * The statistics feature: its API, the marketing dashboard, and its jobs (rollups, terminal retention) on the shared
 * job runner.
 */
public final class Statistics {
  private final Rollups rollups;
  private final TerminalRetention retention;
  private final StatsRoutes routes;
  private final DashboardRoutes dashboard;
  private final Duration refresh;

  /** {@code refresh}: how stale today's figures may get; {@code retentionMonths}: raw terminal data kept. */
  public Statistics(Database db, SiteRegistry sites, ApiKeys keys, Clock clock, Duration refresh,
      int retentionMonths) {
    this.rollups = new Rollups(db.rollup(), sites, clock, refresh);
    this.retention = new TerminalRetention(db.rollup(), clock, retentionMonths);
    this.routes = new StatsRoutes(sites, keys, new StatsStore(db.stats()), rollups);
    this.dashboard = new DashboardRoutes();
    this.refresh = refresh;
  }

  public void mount(Router router) {
    routes.mount(router);
    dashboard.mount(router);
  }

  /** Rollups every few minutes (each day once it closes, today once stale); retention twice a day. */
  public void schedule(Jobs jobs) {
    Duration every = refresh.compareTo(Duration.ofMinutes(5)) < 0 ? refresh : Duration.ofMinutes(5);
    jobs.schedule("stats-rollup", Duration.ofSeconds(5), every, rollups::runDue);
    jobs.schedule("terminal-retention", Duration.ofMinutes(1), Duration.ofHours(12), retention::run);
  }

  /** The rollup job, for tests and the operator: one run now. */
  public Jobs.Job rollupJob() {
    return rollups::runDue;
  }

  public Jobs.Job retentionJob() {
    return retention::run;
  }
}
