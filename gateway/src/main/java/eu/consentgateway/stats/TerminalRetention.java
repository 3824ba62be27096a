package eu.consentgateway.stats;

import eu.consentgateway.store.Jobs;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clause 9: technical data is kept only as long as necessary. A month of raw terminal events older than the
 * retention (default 25 months, the CNIL bound for audience measurement) is dropped as a whole partition, and
 * only once every day it holds is rolled up for good: the figures stay, the raw rows go. Stray rows of the
 * default partition older than the retention are deleted.
 */
final class TerminalRetention {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalRetention.class);
  private static final String PARTITIONS = """
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'terminal.events'::regclass AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$'
      """;
  private static final String SITES = "SELECT DISTINCT site_id FROM terminal.events WHERE month = $1";
  private static final String ZONE = """
      SELECT time_zone FROM stats.rollups WHERE site_id = $1 ORDER BY day DESC LIMIT 1
      """;
  // the days of that site in that month (in its time zone) without a final rollup
  private static final String NOT_ROLLED_UP = """
      SELECT count(*) AS missing FROM (
        SELECT DISTINCT (received_at AT TIME ZONE $3)::date AS day FROM terminal.events
         WHERE month = $1 AND site_id = $2) d
       WHERE NOT EXISTS (SELECT 1 FROM stats.rollups r WHERE r.site_id = $2 AND r.day = d.day AND r.final)
      """;
  private static final String COUNT = "SELECT count(*) AS n FROM terminal.events WHERE month = $1";
  private static final String DROP = "SELECT terminal.drop_partition($1) AS dropped";
  private static final String STRAYS = """
      DELETE FROM terminal.events WHERE (site_id, event_id, month) IN (
        SELECT site_id, event_id, month FROM terminal.events
         WHERE tableoid = 'terminal.events_default'::regclass AND received_at < $1 LIMIT 10000)
      """;

  private final Pool pool;
  private final Clock clock;
  private final int months;

  TerminalRetention(Pool pool, Clock clock, int months) {
    this.pool = pool;
    this.clock = clock;
    this.months = months;
  }

  /** The first month that is kept: every month before it is past the retention. */
  LocalDate firstKept() {
    return clock.instant().atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).minusMonths(months);
  }

  Future<Jobs.Report> run(boolean dryRun) {
    LocalDate keep = firstKept();
    Map<String, Long> counts = new HashMap<>();
    List<String> would = new ArrayList<>();
    return pool.query(PARTITIONS).execute().compose(rows -> {
      List<LocalDate> old = new ArrayList<>();
      for (Row r : rows) {
        String name = r.getString("relname");
        LocalDate month = LocalDate.of(Integer.parseInt(name.substring(7, 11)), Integer.parseInt(name.substring(12)),
            1);
        if (month.isBefore(keep)) {
          old.add(month);
        }
      }
      Future<Void> chain = Future.succeededFuture();
      for (LocalDate month : old) {
        chain = chain.compose(v -> rolledUp(month)).compose(ready -> {
          if (!ready) {
            counts.merge("months_waiting", 1L, Long::sum);
            LOG.info("terminal month kept: not every day is rolled up yet [month={}]", month);
            return Future.succeededFuture();
          }
          return pool.preparedQuery(COUNT).execute(Tuple.of(month)).compose(n -> {
            long events = n.iterator().next().getLong("n");
            if (dryRun) {
              would.add("drop terminal events of " + month + " (" + events + " events)");
              return Future.succeededFuture();
            }
            return pool.preparedQuery(DROP).execute(Tuple.of(month)).map(d -> {
              counts.merge("months_dropped", 1L, Long::sum);
              counts.merge("events_dropped", events, Long::sum);
              LOG.info("terminal month dropped [month={}] [events={}] [olderThanMonths={}]", month, events, months);
              return null;
            });
          });
        });
      }
      return chain;
    }).compose(v -> dryRun ? Future.succeededFuture(0L) : strays(keep, 0))
        .map(n -> {
          counts.merge("strays_deleted", n, Long::sum);
          return dryRun ? new Jobs.Report(Map.of(), List.copyOf(would)) : Jobs.Report.of(counts);
        });
  }

  /** Whether every site's days in {@code month} have a final rollup (a site never rolled up: not yet). */
  private Future<Boolean> rolledUp(LocalDate month) {
    return pool.preparedQuery(SITES).execute(Tuple.of(month)).compose(rows -> {
      List<Future<Boolean>> each = new ArrayList<>();
      for (Row r : rows) {
        String site = r.getString("site_id");
        each.add(pool.preparedQuery(ZONE).execute(Tuple.of(site)).compose(z -> z.size() == 0
            ? Future.succeededFuture(false)
            : pool.preparedQuery(NOT_ROLLED_UP).execute(Tuple.of(month, site,
                z.iterator().next().getString("time_zone"))).map(m -> m.iterator().next().getLong("missing") == 0)));
      }
      return Future.all(each).map(v -> each.stream().allMatch(Future::result));
    });
  }

  private Future<Long> strays(LocalDate keep, long done) {
    return pool.preparedQuery(STRAYS).execute(Tuple.of(keep.atStartOfDay().atOffset(ZoneOffset.UTC))).compose(r -> {
      long total = done + r.rowCount();
      return r.rowCount() < 10_000 ? Future.succeededFuture(total) : strays(keep, total);
    });
  }
}
