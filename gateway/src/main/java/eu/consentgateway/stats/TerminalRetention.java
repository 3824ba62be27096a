package eu.consentgateway.stats;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clause 9: technical data is kept only as long as necessary. Raw terminal events older than the retention
 * (default 25 months, the CNIL bound for audience measurement) are deleted in small batches, as role
 * cg_stats, so the purge never holds long locks on the table the beacons write to.
 */
public final class TerminalRetention {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalRetention.class);
  private static final int BATCH = 10_000;
  private static final long EVERY_MS = 6 * 3600 * 1000L;
  private static final String PURGE = """
      DELETE FROM terminal.events WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM terminal.events WHERE received_at < $1 LIMIT $2))
      """;

  private final Pool pool;
  private final Clock clock;
  private final int months;
  private long timer = -1;

  public TerminalRetention(Pool pool, Clock clock, int months) {
    this.pool = pool;
    this.clock = clock;
    this.months = months;
  }

  public void start(Vertx vertx) {
    vertx.setTimer(60_000, id -> purge());
    timer = vertx.setPeriodic(EVERY_MS, id -> purge());
  }

  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Deletes everything older than the retention; completes with how many events went. */
  public Future<Long> purge() {
    Instant cutoff = clock.instant().atZone(ZoneOffset.UTC).minusMonths(months).toInstant();
    return purgeFrom(cutoff, 0).onSuccess(n -> {
      if (n > 0) {
        LOG.info("terminal events purged [count={}] [olderThanMonths={}]", n, months);
      }
    });
  }

  private Future<Long> purgeFrom(Instant cutoff, long done) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), BATCH)).compose(rows -> {
      long total = done + rows.rowCount();
      return rows.rowCount() < BATCH ? Future.succeededFuture(total) : purgeFrom(cutoff, total);
    });
  }
}
