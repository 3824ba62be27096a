package eu.consentgateway.stats;

import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.Database;
import eu.consentgateway.store.Jobs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

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
  private final Supplier<Future<Boolean>> busy;

  /**
   * {@code refresh}: how stale today's figures may get; {@code busyCpuPercent}: the machine's CPU use from which
   * the scheduled refresh of today waits (0: never); {@code retentionMonths}: raw terminal data kept.
   */
  public Statistics(Database db, SiteRegistry sites, ApiKeys keys, Clock clock, Vertx vertx, Duration refresh,
      int busyCpuPercent, int retentionMonths) {
    this.rollups = new Rollups(db.rollup(), sites, clock, refresh);
    this.busy = new MachineLoad(vertx, busyCpuPercent, Duration.ofSeconds(2));
    this.retention = new TerminalRetention(db.rollup(), clock, retentionMonths);
    this.routes = new StatsRoutes(sites, keys, new StatsStore(db.stats()), rollups);
    this.dashboard = new DashboardRoutes();
    this.refresh = refresh;
  }

  public void mount(Router router) {
    routes.mount(router);
    dashboard.mount(router);
  }

  /**
   * Rollups every few minutes (each day once it closes, today once stale, a refresh of today later while the
   * machine is busy): a sixth of the refresh interval, between 10 s and 5 minutes, so a refresh that waited finds
   * the next quiet moment; a run with nothing due is a few index probes. Retention twice a day.
   */
  public void schedule(Jobs jobs) {
    Duration every = Duration.ofMillis(Math.max(10_000, Math.min(300_000, refresh.toMillis() / 6)));
    jobs.schedule("stats-rollup", Duration.ofSeconds(5), every, dryRun -> rollups.runDue(dryRun, busy));
    jobs.schedule("terminal-retention", Duration.ofMinutes(1), Duration.ofHours(12), retention::run);
  }

  /** The rollup job, for tests and the operator: one run now, of every due day. */
  public Jobs.Job rollupJob() {
    return rollups::runDue;
  }

  /** The rollup job as scheduled, with {@code busy} telling whether the machine is busy. */
  public Jobs.Job rollupJob(Supplier<Future<Boolean>> busy) {
    return dryRun -> rollups.runDue(dryRun, busy);
  }

  public Jobs.Job retentionJob() {
    return retention::run;
  }
}
