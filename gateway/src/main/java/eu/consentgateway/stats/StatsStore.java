package eu.consentgateway.stats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics queries: rollups only, never raw events. A key counts on a day only with at least k visitors
 * that day: rows rolled up under a smaller k than today's are dropped (their visitors could overlap, so they are
 * not added to '(other)'), and an '(other)' below k is dropped too; both are counted in {@code suppressed}.
 */
final class StatsStore {
  // One pass over the range's rows, grouped by key: the page of keys (part 0) and one closing row (part 1) with the
  // '(other)' figures, the number of keys and what was suppressed. The rows are the spans that cover most of the
  // range ($7 lengths, $8 starts) and the days left over ($6), each day counted only at or above k ($3).
  private static final String TRAFFIC = """
      WITH src AS (
        SELECT key, CASE WHEN visitors >= $3 THEN pageviews END AS pageviews,
               CASE WHEN visitors >= $3 THEN visitors END AS visitors, (visitors < $3)::int AS below, folded
          FROM stats.traffic_daily WHERE site_id = $1 AND dimension = $2 AND day = ANY ($6::date[])
        UNION ALL
        SELECT u.key, u.pageviews, u.visitors, u.below, u.folded
          FROM unnest($7::int2[], $8::date[]) AS p(span, start)
          JOIN stats.traffic_spans t ON t.site_id = $1 AND t.dimension = $2 AND t.span = p.span AND t.start = p.start
          CROSS JOIN LATERAL unnest(t.keys, t.pageviews, t.visitors, t.below, t.folded)
                             AS u(key, pageviews, visitors, below, folded)),
      g AS MATERIALIZED (
        SELECT key, sum(pageviews) AS pageviews, sum(visitors) AS visitors, sum(below) AS below,
               sum(folded) AS folded
          FROM src GROUP BY key),
      n AS (SELECT count(*) AS total FROM g WHERE key <> '(other)' AND visitors IS NOT NULL)
      (SELECT 0 AS part, key, pageviews, visitors, 0::bigint AS total, 0::bigint AS suppressed
         FROM g WHERE key <> '(other)' AND visitors IS NOT NULL
        ORDER BY visitors DESC, key LIMIT $4 OFFSET $5)
      UNION ALL
      SELECT 1, NULL, coalesce(sum(pageviews) FILTER (WHERE key = '(other)'), 0),
             coalesce(sum(visitors) FILTER (WHERE key = '(other)'), 0), (SELECT total FROM n),
             coalesce(sum(folded) FILTER (WHERE key = '(other)'), 0)
               + coalesce(sum(below) FILTER (WHERE key <> '(other)'), 0)
        FROM g
      """;
  // the spans built under the site's current k that start in the range
  private static final String SPANS = """
      SELECT span, start FROM stats.span_rollups WHERE site_id = $1 AND k = $2 AND start BETWEEN $3 AND $4
      """;
  private static final String DAYS = """
      SELECT day, pageviews, visitors FROM stats.site_daily WHERE site_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day
      """;
  private static final String CONSENT = """
      SELECT day, notices, choices, accept_all, reject_all, custom, gpc, dismiss, withdrawals
        FROM stats.consent_daily WHERE site_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day
      """;
  private static final String PURPOSES = """
      SELECT day, purpose, granted, refused FROM stats.consent_purpose_daily
       WHERE site_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day
      """;
  private static final String AS_OF = """
      SELECT min(rolled_up_at) AS as_of, count(*) AS days FROM stats.rollups WHERE site_id = $1 AND day BETWEEN $2 AND $3
      """;

  /** Traffic of one dimension: a page of keys, the '(other)' figures (null when dropped), the counts. */
  record Traffic(List<JsonObject> rows, JsonObject other, long total, long suppressed) {
  }

  /** One day of the consent rollups, with its purposes. */
  record ConsentDay(LocalDate day, Map<String, Long> counts, Map<String, long[]> purposes) {
  }

  private final Pool pool;

  StatsStore(Pool pool) {
    this.pool = pool;
  }

  Future<Traffic> traffic(String siteId, String dimension, LocalDate from, LocalDate to, int k, int limit,
      int offset) {
    return pool.preparedQuery(SPANS).execute(Tuple.of(siteId, k, from, to)).compose(built -> {
      java.util.Set<Span> ready = new java.util.HashSet<>();
      for (Row r : built) {
        ready.add(new Span(r.getInteger("span"), r.getLocalDate("start")));
      }
      Cover cover = cover(from, to, ready);
      return pool.preparedQuery(TRAFFIC).execute(Tuple.from(new Object[] {siteId, dimension, k, limit, offset,
          cover.days(), cover.spans(), cover.starts()}));
    }).map(StatsStore::traffic);
  }

  private static Traffic traffic(io.vertx.sqlclient.RowSet<Row> result) {
    List<JsonObject> rows = new ArrayList<>();
    JsonObject other = null;
    long total = 0;
    long suppressed = 0;
    for (Row r : result) {
      if (r.getInteger("part") == 0) {
        rows.add(new JsonObject().put("key", r.getString("key")).put("pageviews", r.getLong("pageviews"))
            .put("visitors", r.getLong("visitors")));
        continue;
      }
      total = r.getLong("total");
      suppressed = r.getLong("suppressed");
      long otherVisitors = r.getLong("visitors");
      other = otherVisitors == 0 ? null : new JsonObject().put("key", Rollups.OTHER)
          .put("pageviews", r.getLong("pageviews")).put("visitors", otherVisitors);
    }
    return new Traffic(rows, other, total, suppressed);
  }

  /** The days of a range as the spans that cover it (longest first, where built) and the days left over. */
  record Cover(LocalDate[] days, Short[] spans, LocalDate[] starts) {
  }

  /** A span of {@code length} days from {@code start}. */
  record Span(int length, LocalDate start) {
  }

  /** {@code ready}: the spans that may be used. */
  static Cover cover(LocalDate from, LocalDate to, java.util.Set<Span> ready) {
    List<LocalDate> days = new ArrayList<>();
    List<Short> spans = new ArrayList<>();
    List<LocalDate> starts = new ArrayList<>();
    LocalDate at = from;
    while (!at.isAfter(to)) {
      int used = 1;
      for (int length : Rollups.SPAN_DAYS) {
        if (Rollups.spanStart(at, length).equals(at) && !at.plusDays(length - 1).isAfter(to)
            && ready.contains(new Span(length, at))) {
          used = length;
          break;
        }
      }
      if (used == 1) {
        days.add(at);
      } else {
        spans.add((short) used);
        starts.add(at);
      }
      at = at.plusDays(used);
    }
    return new Cover(days.toArray(new LocalDate[0]), spans.toArray(new Short[0]), starts.toArray(new LocalDate[0]));
  }

  /** Site-wide figures per day (days below k are dropped and counted). */
  Future<List<JsonObject>> days(String siteId, LocalDate from, LocalDate to) {
    return pool.preparedQuery(DAYS).execute(Tuple.of(siteId, from, to)).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new JsonObject().put("key", r.getLocalDate("day").toString()).put("pageviews", r.getLong("pageviews"))
            .put("visitors", r.getLong("visitors")));
      }
      return out;
    });
  }

  Future<List<ConsentDay>> consent(String siteId, LocalDate from, LocalDate to) {
    Future<io.vertx.sqlclient.RowSet<Row>> days = pool.preparedQuery(CONSENT).execute(Tuple.of(siteId, from, to));
    Future<io.vertx.sqlclient.RowSet<Row>> purposes = pool.preparedQuery(PURPOSES).execute(Tuple.of(siteId, from, to));
    return Future.all(days, purposes).map(v -> {
      Map<LocalDate, Map<String, long[]>> byDay = new LinkedHashMap<>();
      for (Row r : purposes.result()) {
        byDay.computeIfAbsent(r.getLocalDate("day"), d -> new LinkedHashMap<>())
            .put(r.getString("purpose"), new long[] {r.getLong("granted"), r.getLong("refused")});
      }
      List<ConsentDay> out = new ArrayList<>();
      for (Row r : days.result()) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : new String[] {"notices", "choices", "accept_all", "reject_all", "custom", "gpc", "dismiss",
            "withdrawals"}) {
          counts.put(c, r.getLong(c));
        }
        out.add(new ConsentDay(r.getLocalDate("day"), counts, byDay.getOrDefault(r.getLocalDate("day"), Map.of())));
      }
      return out;
    });
  }

  /** When the oldest rollup of the range was made (null when none is), and how many days are rolled up. */
  Future<JsonObject> asOf(String siteId, LocalDate from, LocalDate to) {
    return pool.preparedQuery(AS_OF).execute(Tuple.of(siteId, from, to)).map(rows -> {
      Row r = rows.iterator().next();
      var at = r.getOffsetDateTime("as_of");
      return new JsonObject().put("asOf", at == null ? null : at.toInstant().toString())
          .put("daysRolledUp", r.getLong("days"));
    });
  }

  static JsonArray array(List<JsonObject> rows) {
    return new JsonArray(new ArrayList<>(rows));
  }
}
