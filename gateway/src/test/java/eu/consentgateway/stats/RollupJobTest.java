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
 * one interval at most, and a day that has ended never waits. The clock is in April 2033, where no other test's
 * clock goes (the job sees every site of the test database); the counts are nonetheless read as "at least".
 */
class RollupJobTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2033-04-13T12:00:00Z"));
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
    StatsTest.seed(site, "2033-04-13T09:00:00Z", "/a", 1, 2, 3, 4, 5);

    // today has not been built since it began 14 hours ago: due for longer than an interval, so built while busy
    run(busy);
    assertEquals(5, visitors("2033-04-13", "/a"));
    Instant built = rolledUpAt("2033-04-13");

    // stale for one minute: a busy machine makes it wait, and the figures stay as they were
    StatsTest.seed(site, "2033-04-13T12:30:00Z", "/b", 1, 2, 3, 4, 5);
    clock.advance(Duration.ofMinutes(61));
    asked.set(0);
    Jobs.Report waited = run(busy);
    assertEquals(1, asked.get(), "the machine is asked once");
    assertTrue(waited.counts().getOrDefault("deferred", 0L) >= 1, waited.counts().toString());
    assertEquals(0, visitors("2033-04-13", "/b"));
    assertEquals(built, rolledUpAt("2033-04-13"));

    // the next run on a quiet machine does it
    run(quiet);
    assertEquals(5, visitors("2033-04-13", "/b"));
    Instant refreshed = rolledUpAt("2033-04-13");
    assertTrue(refreshed.isAfter(built));

    // nothing due: the machine is not asked
    asked.set(0);
    run(busy);
    assertEquals(0, asked.get());

    // stale for more than an interval: it no longer waits, busy or not
    StatsTest.seed(site, "2033-04-13T13:30:00Z", "/c", 1, 2, 3, 4, 5);
    clock.advance(Duration.ofMinutes(121));
    asked.set(0);
    run(busy);
    assertEquals(5, visitors("2033-04-13", "/c"));
    assertEquals(0, asked.get(), "a refresh past its interval cannot wait, so the machine is not asked");

    // 00:30 in Paris (summer time) on the 14th: the 13th has ended and is closed at once; the new day, due for
    // half an hour, waits
    clock.set(Instant.parse("2033-04-13T22:30:00Z"));
    Jobs.Report midnight = run(busy);
    assertTrue(midnight.counts().getOrDefault("deferred", 0L) >= 1, midnight.counts().toString());
    assertEquals(1L, TestStores.count("SELECT count(*) FROM stats.rollups WHERE site_id = ? AND day = '2033-04-13'"
        + " AND final", site), "the day that ended is final");
    assertEquals(0L, TestStores.count("SELECT count(*) FROM stats.rollups WHERE site_id = ? AND day = '2033-04-14'",
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
