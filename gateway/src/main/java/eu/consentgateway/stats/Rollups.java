package eu.consentgateway.stats;

import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.Jobs;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Builds the statistics rollups of one site and day (a day of the site's time zone) from the raw terminal events
 * and the consent ledger, in one transaction that replaces what was there: idempotent, and serialised per site
 * and day by an advisory lock, so the job on several instances and an operator's rebuild never mix. The k-anonymity
 * fold happens here, where distinct visitors can still be counted exactly.
 */
final class Rollups {
  static final String OTHER = "(other)";
  /** The job looks this far back for days not yet rolled up after they ended. */
  static final int LOOK_BACK_DAYS = 7;

  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('rollup:' || $1 || ':' || $2))";
  // the distinct counts and the span sums of a busy day hash in memory instead of sorting on disk
  private static final String MEMORY = "SET LOCAL work_mem = '64MB'";
  private static final String CLEAR = """
      WITH a AS (DELETE FROM stats.traffic_daily WHERE site_id = $1 AND day = $2),
           b AS (DELETE FROM stats.site_daily WHERE site_id = $1 AND day = $2),
           c AS (DELETE FROM stats.consent_daily WHERE site_id = $1 AND day = $2)
      DELETE FROM stats.consent_purpose_daily WHERE site_id = $1 AND day = $2
      """;
  // One scan of the day's events, hashed per (key, visitor) for each dimension and per visitor for the site
  // (grouping sets: no sort, no collation compare); then cells per key, those of k visitors or more kept, the rest
  // folded into one '(other)' row per dimension with its distinct visitors, and the site's day. GROUPING(...) names
  // the set a row belongs to: 127 the visitor alone, 63 page, 95 referrer, 111 browser, 119 os, 123 device,
  // 125 country, 126 language. Returns the day's events and the traffic rows written.
  // $1 site, $2 day, $3 start, $4 end, $5 k, $6 first month, $7 last month (partition pruning)
  private static final String DAY = """
      WITH g AS MATERIALIZED (
        SELECT GROUPING(e.page, e.referrer_host, e.browser, e.os, e.device, e.country, e.language) AS g,
               e.visitor_hash, e.page, e.referrer_host, e.browser, e.os, e.device, e.country, e.language,
               count(*) AS events, count(*) FILTER (WHERE e.type = 'pageview') AS pageviews
          FROM terminal.events e
         WHERE e.site_id = $1 AND e.month BETWEEN $6 AND $7 AND e.received_at >= $3 AND e.received_at < $4
         GROUP BY GROUPING SETS ((e.visitor_hash), (e.page, e.visitor_hash), (e.referrer_host, e.visitor_hash),
                                 (e.browser, e.visitor_hash), (e.os, e.visitor_hash), (e.device, e.visitor_hash),
                                 (e.country, e.visitor_hash), (e.language, e.visitor_hash))),
      t AS MATERIALIZED (
        SELECT CASE g WHEN 63 THEN 'page' WHEN 95 THEN 'referrer' WHEN 111 THEN 'browser' WHEN 119 THEN 'os'
                      WHEN 123 THEN 'device' WHEN 125 THEN 'country' ELSE 'language' END AS dimension,
               CASE g WHEN 63 THEN page WHEN 95 THEN coalesce(referrer_host, '(direct)') WHEN 111 THEN browser
                      WHEN 119 THEN os WHEN 123 THEN device WHEN 125 THEN coalesce(country, '(unknown)')
                      ELSE coalesce(language, '(unknown)') END AS key,
               visitor_hash, pageviews
          FROM g WHERE g <> 127),
      cells AS MATERIALIZED (
        SELECT dimension, key, sum(pageviews) AS pageviews, count(*) AS visitors FROM t GROUP BY dimension, key),
      kept AS (
        INSERT INTO stats.traffic_daily (site_id, dimension, day, key, pageviews, visitors)
        SELECT $1, dimension, $2, key, pageviews, visitors FROM cells WHERE visitors >= $5
        RETURNING 1),
      other AS (
        INSERT INTO stats.traffic_daily (site_id, dimension, day, key, pageviews, visitors, folded)
        SELECT $1, f.dimension, $2, '(other)', f.pageviews, v.visitors, f.folded
          FROM (SELECT dimension, sum(pageviews) AS pageviews, count(*) AS folded
                  FROM cells WHERE visitors < $5 GROUP BY dimension) f
          JOIN (SELECT dimension, count(DISTINCT visitor_hash) AS visitors FROM t
                 WHERE (dimension, key) IN (SELECT dimension, key FROM cells WHERE visitors < $5)
                 GROUP BY dimension) v USING (dimension)
        RETURNING 1),
      site AS (
        INSERT INTO stats.site_daily (site_id, day, pageviews, events, visitors)
        SELECT $1, $2, coalesce(sum(pageviews), 0), coalesce(sum(events), 0), count(*) FROM g WHERE g = 127
        RETURNING events)
      SELECT (SELECT events FROM site) AS events, (SELECT count(*) FROM kept) + (SELECT count(*) FROM other) AS n
      """;
  private static final String CONSENT = """
      INSERT INTO stats.consent_daily (site_id, day, notices, choices, accept_all, reject_all, custom, gpc, dismiss,
                                       withdrawals)
      SELECT $1, $2,
             (SELECT count(*) FROM consent.notices WHERE site_id = $1 AND shown_at >= $3 AND shown_at < $4),
             count(*) FILTER (WHERE kind <> 'withdrawn'), count(*) FILTER (WHERE method = 'accept_all'),
             count(*) FILTER (WHERE method = 'reject_all'), count(*) FILTER (WHERE method = 'custom'),
             count(*) FILTER (WHERE method = 'gpc'), count(*) FILTER (WHERE method = 'dismiss'),
             count(*) FILTER (WHERE kind = 'withdrawn')
        FROM consent.events WHERE site_id = $1 AND given_at >= $3 AND given_at < $4
      """;
  private static final String PURPOSES = """
      INSERT INTO stats.consent_purpose_daily (site_id, day, purpose, granted, refused)
      SELECT $1, $2, p.key, count(*) FILTER (WHERE p.value = 'true'), count(*) FILTER (WHERE p.value = 'false')
        FROM consent.events e CROSS JOIN LATERAL jsonb_each_text(e.choices) AS p(key, value)
       WHERE e.site_id = $1 AND e.given_at >= $3 AND e.given_at < $4 AND e.kind <> 'withdrawn'
       GROUP BY p.key
      """;
  private static final String MARK = """
      INSERT INTO stats.rollups (site_id, day, k, time_zone, final, events, rolled_up_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (site_id, day) DO UPDATE SET k = EXCLUDED.k, time_zone = EXCLUDED.time_zone,
        final = EXCLUDED.final, events = EXCLUDED.events, rolled_up_at = EXCLUDED.rolled_up_at
      """;
  // the spans holding a day, rebuilt after it from the daily rows ($2 spans, $3 starts, $4 ends exclusive, $5 k);
  // one lock per site, so two days of one span rebuilt at once on two instances wait for each other
  private static final String SPANS_LOCK = "SELECT pg_advisory_xact_lock(hashtext('rollup-spans:' || $1))";
  // the spans that hold the day go, with their marks; those that have ended are then built again
  private static final String SPANS_CLEAR = """
      WITH p AS (SELECT * FROM unnest($2::int2[], $3::date[]) AS p(span, start)),
           marks AS (DELETE FROM stats.span_rollups m USING p
                      WHERE m.site_id = $1 AND m.span = p.span AND m.start = p.start)
      DELETE FROM stats.traffic_spans t USING p WHERE t.site_id = $1 AND t.span = p.span AND t.start = p.start
      """;
  private static final String SPANS = """
      INSERT INTO stats.traffic_spans (site_id, dimension, span, start, keys, pageviews, visitors, below, folded)
      SELECT $1, dimension, span, start, array_agg(key), array_agg(pageviews), array_agg(visitors), array_agg(below),
             array_agg(folded)
        FROM (SELECT p.span, p.start, d.dimension, d.key, sum(d.pageviews) FILTER (WHERE d.visitors >= $5) AS pageviews,
                     sum(d.visitors) FILTER (WHERE d.visitors >= $5) AS visitors,
                     count(*) FILTER (WHERE d.visitors < $5)::int AS below, sum(d.folded)::int AS folded
                FROM unnest($2::int2[], $3::date[], $4::date[]) AS p(span, start, until)
                JOIN stats.traffic_daily d ON d.site_id = $1 AND d.day >= p.start AND d.day < p.until
               GROUP BY p.span, p.start, d.dimension, d.key) AS cells
       GROUP BY span, start, dimension
      """;
  private static final String SPANS_MARK = """
      INSERT INTO stats.span_rollups (site_id, span, start, k, built_at)
      SELECT $1, span, start, $4, $5 FROM unnest($2::int2[], $3::date[]) AS p(span, start)
      ON CONFLICT (site_id, span, start) DO UPDATE SET k = EXCLUDED.k, built_at = EXCLUDED.built_at
      """;
  /** The lengths of the spans, longest first. */
  static final int[] SPAN_DAYS = {64, 32, 16, 8, 4, 2};
  private static final String STATE = """
      SELECT day, final, rolled_up_at, time_zone, k FROM stats.rollups WHERE site_id = $1 AND day >= $2
      """;
  private static final String PARTITION = "SELECT terminal.ensure_partition($1) AS created";
  // of the sites $1, those with beacons, banners or choices since $2 ($3: the first month that can hold them): one
  // index probe per site and table, where a scan of the week's events would cost the job a core on a busy site
  private static final String ACTIVE = """
      SELECT s.id AS site_id FROM unnest($1::text[]) AS s(id)
       WHERE EXISTS (SELECT 1 FROM terminal.events e WHERE e.site_id = s.id AND e.month >= $3 AND e.received_at >= $2)
          OR EXISTS (SELECT 1 FROM consent.notices n WHERE n.site_id = s.id AND n.shown_at >= $2)
          OR EXISTS (SELECT 1 FROM consent.events c WHERE c.site_id = s.id AND c.given_at >= $2)
      """;

  /** What one day's rebuild wrote. */
  record Result(long events, long rows) {
  }

  /** The days of a site that are due, and among them the refresh of today that may wait for a quieter moment. */
  private record Due(List<LocalDate> days, LocalDate canWait) {
  }

  private final Pool pool;
  private final SiteRegistry sites;
  private final Clock clock;
  private final Duration refresh;

  /** {@code refresh}: how stale today's figures may get before the job rebuilds them. */
  Rollups(Pool pool, SiteRegistry sites, Clock clock, Duration refresh) {
    this.pool = pool;
    this.sites = sites;
    this.clock = clock;
    this.refresh = refresh;
  }

  /** Replaces the rollups of {@code site} for {@code day} with what the raw data says now. */
  Future<Result> rebuild(Site site, LocalDate day) {
    Instant start = day.atStartOfDay(site.timeZone()).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(site.timeZone()).toInstant();
    Instant now = clock.instant();
    LocalDate firstMonth = start.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    LocalDate lastMonth = end.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(site.id(), day.toString()))
        .compose(v -> conn.query(MEMORY).execute())
        .compose(v -> conn.preparedQuery(CLEAR).execute(Tuple.of(site.id(), day)))
        .compose(v -> conn.preparedQuery(DAY).execute(Tuple.from(new Object[] {site.id(), day, utc(start),
            utc(end), site.k(), firstMonth, lastMonth})))
        .compose(counted -> {
          var row = counted.iterator().next();
          long events = row.getLong("events");
          long trafficRows = row.getLong("n");
          return conn.preparedQuery(CONSENT).execute(Tuple.of(site.id(), day, utc(start), utc(end)))
              .compose(c -> conn.preparedQuery(PURPOSES).execute(Tuple.of(site.id(), day, utc(start), utc(end))))
              .compose(p -> conn.preparedQuery(MARK).execute(Tuple.from(new Object[] {site.id(), day, site.k(),
                  site.timeZone().getId(), !now.isBefore(end), events, utc(now)}))
                  .compose(m -> spans(conn, site, day, now))
                  .map(m -> new Result(events, trafficRows + 2 + p.rowCount())));
        }));
  }

  /**
   * Rebuilds the spans that hold {@code day} from the daily rows (after the day itself was rebuilt). Only spans
   * that have ended in the site's time zone are built: one that holds today would be stale by the next beacon, and
   * rebuilding it with every refresh of today would cost the collect path its CPU; a range that reaches into such a
   * span reads the shorter, ended spans and the days instead.
   */
  private static Future<Void> spans(SqlConnection conn, Site site, LocalDate day, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, site.timeZone());
    Short[] spans = new Short[SPAN_DAYS.length];
    LocalDate[] starts = new LocalDate[SPAN_DAYS.length];
    List<Short> ended = new ArrayList<>();
    List<LocalDate> endedStarts = new ArrayList<>();
    List<LocalDate> endedEnds = new ArrayList<>();
    for (int i = 0; i < SPAN_DAYS.length; i++) {
      spans[i] = (short) SPAN_DAYS[i];
      starts[i] = spanStart(day, SPAN_DAYS[i]);
      LocalDate until = starts[i].plusDays(SPAN_DAYS[i]);
      if (!until.isAfter(today)) {
        ended.add(spans[i]);
        endedStarts.add(starts[i]);
        endedEnds.add(until);
      }
    }
    Future<?> cleared = conn.preparedQuery(SPANS_LOCK).execute(Tuple.of(site.id()))
        .compose(v -> conn.preparedQuery(SPANS_CLEAR).execute(Tuple.of(site.id(), spans, starts)));
    if (ended.isEmpty()) {
      return cleared.mapEmpty();
    }
    Short[] built = ended.toArray(new Short[0]);
    LocalDate[] builtStarts = endedStarts.toArray(new LocalDate[0]);
    LocalDate[] builtEnds = endedEnds.toArray(new LocalDate[0]);
    return cleared
        .compose(v -> conn.preparedQuery(SPANS).execute(Tuple.of(site.id(), built, builtStarts, builtEnds, site.k())))
        .compose(v -> conn.preparedQuery(SPANS_MARK).execute(Tuple.of(site.id(), built, builtStarts, site.k(),
            utc(now))))
        .mapEmpty();
  }

  /** The first day of the span of {@code days} days that holds {@code day}. */
  static LocalDate spanStart(LocalDate day, int days) {
    return LocalDate.ofEpochDay(Math.floorDiv(day.toEpochDay(), days) * days);
  }

  /** The job as the operator and the tests run it: every due day now, however busy the machine. */
  Future<Jobs.Report> runDue(boolean dryRun) {
    return runDue(dryRun, () -> Future.succeededFuture(false));
  }

  /**
   * The job: this month's and next month's partitions, then for every site with activity in the last week the
   * days that are due (a quiet site's figures are zero without rows). A refresh of today waits while {@code busy}
   * says the machine has no core to spare, for one refresh interval at most (so today's figures are never more
   * than two intervals old); a day that has ended, or was rolled up with other settings, never waits. What waited
   * is counted as "deferred".
   */
  Future<Jobs.Report> runDue(boolean dryRun, Supplier<Future<Boolean>> busy) {
    Instant now = clock.instant();
    LocalDate month = now.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    Map<String, Long> counts = new HashMap<>();
    List<String> would = new ArrayList<>();
    Supplier<Future<Boolean>> machine = once(busy);
    Future<Void> partitions = dryRun ? Future.succeededFuture()
        : pool.preparedQuery(PARTITION).execute(Tuple.of(month))
            .compose(r -> pool.preparedQuery(PARTITION).execute(Tuple.of(month.plusMonths(1)))).mapEmpty();
    Instant since = now.minus(Duration.ofDays(LOOK_BACK_DAYS + 2));
    return partitions.compose(v -> sites.all())
        .compose(all -> pool.preparedQuery(ACTIVE).execute(Tuple.of(all.stream().map(Site::id).toArray(String[]::new),
            utc(since), since.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1))).map(active -> {
              Set<String> ids = new HashSet<>();
              active.forEach(r -> ids.add(r.getString("site_id")));
              return all.stream().filter(s -> ids.contains(s.id())).toList();
            }))
        .compose(all -> {
      Future<Void> chain = Future.succeededFuture();
      for (Site site : all) {
        chain = chain.compose(x -> due(site, now)).compose(due -> toRun(due, machine, counts)).compose(days -> {
          Future<Void> done = Future.succeededFuture();
          for (LocalDate day : days) {
            if (dryRun) {
              would.add("roll up " + site.id() + " " + day);
              continue;
            }
            done = done.compose(y -> rebuild(site, day).map(r -> {
              counts.merge("days", 1L, Long::sum);
              counts.merge("rows", r.rows(), Long::sum);
              counts.merge("events", r.events(), Long::sum);
              return null;
            }));
          }
          return done;
        });
      }
      return chain;
    }).map(v -> dryRun ? new Jobs.Report(Map.of(), List.copyOf(would)) : Jobs.Report.of(counts));
  }

  /** The due days to roll up now: all of them, but for today's refresh if it may wait and the machine is busy. */
  private static Future<List<LocalDate>> toRun(Due due, Supplier<Future<Boolean>> machine, Map<String, Long> counts) {
    if (due.canWait() == null) {
      return Future.succeededFuture(due.days());
    }
    return machine.get().map(busy -> {
      if (!busy) {
        return due.days();
      }
      counts.merge("deferred", 1L, Long::sum);
      return due.days().stream().filter(d -> !d.equals(due.canWait())).toList();
    });
  }

  /** {@code busy}, asked on first use only and then remembered: the machine is asked at most once a run. */
  private static Supplier<Future<Boolean>> once(Supplier<Future<Boolean>> busy) {
    AtomicReference<Future<Boolean>> asked = new AtomicReference<>();
    return () -> asked.updateAndGet(f -> f != null ? f : busy.get().otherwise(false));
  }

  /**
   * Days of the last week that are missing, not final although over, rolled up with other settings, or stale; and
   * today, if it is due only because it is stale (or not yet built) and has not been due for a whole refresh
   * interval yet, as the one that may wait.
   */
  private Future<Due> due(Site site, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, site.timeZone());
    LocalDate from = today.minusDays(LOOK_BACK_DAYS);
    return pool.preparedQuery(STATE).execute(Tuple.of(site.id(), from)).map(rows -> {
      Map<LocalDate, Boolean> fresh = new HashMap<>();
      // since when today's refresh is due: its last build plus the interval, or the start of the day
      Instant todayDue = today.atStartOfDay(site.timeZone()).toInstant();
      boolean todaySettings = true;
      for (var row : rows) {
        LocalDate day = row.getLocalDate("day");
        boolean sameSettings = site.timeZone().getId().equals(row.getString("time_zone"))
            && site.k() == row.getInteger("k");
        Instant staleAt = row.getOffsetDateTime("rolled_up_at").toInstant().plus(refresh);
        boolean ok = sameSettings && (day.isBefore(today) ? row.getBoolean("final") : staleAt.isAfter(now));
        fresh.put(day, ok);
        if (day.equals(today)) {
          todayDue = staleAt;
          todaySettings = sameSettings;
        }
      }
      List<LocalDate> out = new ArrayList<>();
      for (LocalDate d = from; !d.isAfter(today); d = d.plusDays(1)) {
        if (!fresh.getOrDefault(d, false)) {
          out.add(d);
        }
      }
      boolean canWait = todaySettings && out.contains(today) && todayDue.plus(refresh).isAfter(now);
      return new Due(out, canWait ? today : null);
    });
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
