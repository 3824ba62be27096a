package eu.consentgateway.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.store.Jobs;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduled rollup job (refresh interval 60 minutes): a refresh of today waits while the machine is busy, for
 * one interval at most, and a day that has ended never waits. The clock is in March 2027, so no other test's
 * events are in the job's week.
 */
class RollupJobTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2027-03-10T12:00:00Z"));
  static TestGateway gw;
  static String site;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(clock);
    site = TestStores.uniqueSite("job");
    gw.createSite(site);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void aRefreshOfTodayWaitsForAQuietMachineForOneIntervalAtMostAndADayThatEndedNeverWaits() {
    AtomicInteger asked = new AtomicInteger();
    Jobs.Job quiet = job(false, asked);
    Jobs.Job busy = job(true, asked);
    StatsTest.seed(site, "2027-03-10T09:00:00Z", "/a", 1, 2, 3, 4, 5);

    // today has not been built since it began 13 hours ago: due for longer than an interval, so built while busy
    run(busy);
    assertEquals(5, visitors("2027-03-10", "/a"));
    Instant built = rolledUpAt("2027-03-10");

    // stale for one minute: a busy machine makes it wait, and the figures stay as they were
    StatsTest.seed(site, "2027-03-10T12:30:00Z", "/b", 1, 2, 3, 4, 5);
    clock.advance(Duration.ofMinutes(61));
    asked.set(0);
    Jobs.Report waited = run(busy);
    assertEquals(1, asked.get(), "the machine is asked once");
    assertEquals(1L, waited.counts().get("deferred"), waited.counts().toString());
    assertEquals(0, visitors("2027-03-10", "/b"));
    assertEquals(built, rolledUpAt("2027-03-10"));

    // the next run on a quiet machine does it
    run(quiet);
    assertEquals(5, visitors("2027-03-10", "/b"));
    Instant refreshed = rolledUpAt("2027-03-10");
    assertTrue(refreshed.isAfter(built));

    // nothing due: the machine is not asked
    asked.set(0);
    run(busy);
    assertEquals(0, asked.get());

    // stale for more than an interval: it no longer waits, busy or not
    StatsTest.seed(site, "2027-03-10T13:30:00Z", "/c", 1, 2, 3, 4, 5);
    clock.advance(Duration.ofMinutes(121));
    Jobs.Report forced = run(busy);
    assertEquals(null, forced.counts().get("deferred"), forced.counts().toString());
    assertEquals(5, visitors("2027-03-10", "/c"));

    // 00:30 in Paris on the 11th: the 10th has ended and is closed at once; the new day, due for half an hour, waits
    clock.set(Instant.parse("2027-03-10T23:30:00Z"));
    Jobs.Report midnight = run(busy);
    assertEquals(1L, midnight.counts().get("deferred"), midnight.counts().toString());
    assertEquals(1L, TestStores.count("SELECT count(*) FROM stats.rollups WHERE site_id = ? AND day = '2027-03-10'"
        + " AND final", site), "the day that ended is final");
    assertEquals(0L, TestStores.count("SELECT count(*) FROM stats.rollups WHERE site_id = ? AND day = '2027-03-11'",
        site), "the new day waited");
  }

  private static Jobs.Job job(boolean busy, AtomicInteger asked) {
    return gw.gateway().statistics().rollupJob(() -> {
      asked.incrementAndGet();
      return Future.succeededFuture(busy);
    });
  }

  private static Jobs.Report run(Jobs.Job job) {
    Jobs.Report report = TestGateway.await(gw.gateway().jobs().runNow("stats-rollup", job, false));
    assertNotNull(report, "the job ran");
    return report;
  }

  private static long visitors(String day, String path) {
    return TestStores.count("SELECT coalesce(sum(visitors), 0) FROM stats.traffic_daily WHERE site_id = ?"
        + " AND dimension = 'page' AND day = '" + day + "' AND key = 'https://shop.example" + path + "'", site);
  }

  private static Instant rolledUpAt(String day) {
    long micros = TestStores.count("SELECT (extract(epoch FROM rolled_up_at) * 1000000)::bigint FROM stats.rollups"
        + " WHERE site_id = ? AND day = '" + day + "'", site);
    return Instant.EPOCH.plus(Duration.ofNanos(micros * 1000));
  }
}
