package eu.consentgateway.identity;

import eu.consentgateway.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

/**
 * Rights requests with their legal deadline (GDPR Art. 12(3)): due one calendar month after receipt (31 January
 * → 28 or 29 February), extended once by up to two months with a reason; received → in progress → done, or
 * refused with a reason. The requests the gateway fulfils itself close when the matching endpoint runs.
 */
final class Requests {
  static final Set<String> KINDS = Set.of("access", "rectification", "erasure", "opposition", "portability");
  private static final String INSERT = """
      INSERT INTO identity.requests (request_id, site_id, account_id, kind, status, received_at, due_at)
      VALUES ($1, $2, $3, $4, 'received', $5, $6)
      """;
  private static final String READ = """
      SELECT request_id, site_id, account_id, kind, status, received_at, due_at, extended, extension_reason,
             refusal_reason, closed_at
        FROM identity.requests WHERE request_id = $1 AND site_id = $2
      """;
  private static final String SET_STATUS = """
      UPDATE identity.requests SET status = $3, refusal_reason = $4, closed_at = $5
       WHERE request_id = $1 AND site_id = $2 AND status IN ('received', 'in_progress')
      """;
  private static final String EXTEND = """
      UPDATE identity.requests SET due_at = $3, extended = true, extension_reason = $4
       WHERE request_id = $1 AND site_id = $2 AND NOT extended AND status IN ('received', 'in_progress')
      """;
  // the gateway did it: the open requests of that kind for that account are done
  private static final String FULFIL = """
      UPDATE identity.requests SET status = 'done', closed_at = $4
       WHERE site_id = $1 AND account_id = $2 AND kind = ANY($3) AND status IN ('received', 'in_progress')
      """;
  private static final String OPEN = """
      SELECT request_id, site_id, account_id, kind, status, received_at, due_at, extended, extension_reason,
             refusal_reason, closed_at
        FROM identity.requests
       WHERE status IN ('received', 'in_progress') AND ($1 = false OR due_at < $2) ORDER BY due_at LIMIT 1000
      """;
  private static final String OF_ACCOUNT = """
      SELECT request_id, site_id, account_id, kind, status, received_at, due_at, extended, extension_reason,
             refusal_reason, closed_at
        FROM identity.requests WHERE site_id = $1 AND account_id = $2 ORDER BY received_at
      """;
  private static final String COUNTS = """
      SELECT count(*) FILTER (WHERE due_at < $1) AS overdue,
             count(*) FILTER (WHERE due_at >= $1 AND due_at < $2) AS due_soon
        FROM identity.requests WHERE status IN ('received', 'in_progress')
      """;

  private final Pool pool;
  private final Clock clock;

  Requests(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Due one calendar month after {@code received} (a shorter month clamps to its last day). */
  static Instant due(Instant received) {
    return received.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
  }

  Future<JsonObject> create(String siteId, String accountId, String kind) {
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id, siteId, accountId, kind,
        AccountStore.utc(now), AccountStore.utc(due(now))})).compose(v -> read(siteId, id));
  }

  Future<JsonObject> read(String siteId, UUID id) {
    return pool.preparedQuery(READ).execute(Tuple.of(id, siteId)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("request");
      }
      return json(rows.iterator().next());
    });
  }

  /** Moves an open request to in_progress, done or refused (a refusal needs a reason). */
  Future<JsonObject> setStatus(String siteId, UUID id, String status, String reason) {
    if ("refused".equals(status) && (reason == null || reason.isBlank())) {
      throw ApiError.badRequest("missing_field", "a refusal needs a 'reason'");
    }
    Instant closed = "in_progress".equals(status) ? null : clock.instant();
    return pool.preparedQuery(SET_STATUS).execute(Tuple.of(id, siteId, status, "refused".equals(status) ? reason
        : null, closed == null ? null : AccountStore.utc(closed))).compose(r -> r.rowCount() == 1 ? read(siteId, id)
        : read(siteId, id).compose(existing -> Future.failedFuture(ApiError.conflict("the request is already "
            + existing.getString("status")))));
  }

  /** One extension of 1 or 2 months from the original due date, with a reason. */
  Future<JsonObject> extend(String siteId, UUID id, int months, String reason) {
    if (months < 1 || months > 2) {
      throw ApiError.badRequest("invalid_extension", "an extension is of 1 or 2 months");
    }
    if (reason == null || reason.isBlank()) {
      throw ApiError.badRequest("missing_field", "an extension needs a 'reason'");
    }
    return read(siteId, id).compose(r -> {
      Instant due = Instant.parse(r.getString("dueAt")).atOffset(ZoneOffset.UTC).plusMonths(months).toInstant();
      return pool.preparedQuery(EXTEND).execute(Tuple.of(id, siteId, AccountStore.utc(due), reason))
          .compose(u -> u.rowCount() == 1 ? read(siteId, id) : Future.failedFuture(ApiError.conflict(
              "the request was already extended once, or is closed")));
    });
  }

  Future<Void> fulfil(SqlConnection conn, String siteId, String accountId, String... kinds) {
    return conn.preparedQuery(FULFIL).execute(Tuple.of(siteId, accountId, kinds, AccountStore.utc(clock.instant())))
        .mapEmpty();
  }

  Future<Void> fulfil(String siteId, String accountId, String... kinds) {
    return pool.withConnection(conn -> fulfil(conn, siteId, accountId, kinds));
  }

  Future<JsonArray> open(boolean overdueOnly) {
    return pool.preparedQuery(OPEN).execute(Tuple.of(overdueOnly, AccountStore.utc(clock.instant()))).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(json(r)));
      return out;
    });
  }

  Future<JsonArray> ofAccount(String siteId, String accountId) {
    return pool.preparedQuery(OF_ACCOUNT).execute(Tuple.of(siteId, accountId)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(json(r)));
      return out;
    });
  }

  /** How many open requests are past due, and due within a week. */
  Future<long[]> counts() {
    Instant now = clock.instant();
    return pool.preparedQuery(COUNTS).execute(Tuple.of(AccountStore.utc(now),
        AccountStore.utc(now.plus(java.time.Duration.ofDays(7))))).map(rows -> {
          Row r = rows.iterator().next();
          return new long[] {r.getLong("overdue"), r.getLong("due_soon")};
        });
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("requestId", r.getUUID("request_id").toString()).put("siteId", r.getString("site_id"))
        .put("accountId", r.getString("account_id")).put("kind", r.getString("kind"))
        .put("status", r.getString("status")).put("receivedAt", AccountStore.time(r, "received_at"))
        .put("dueAt", AccountStore.time(r, "due_at")).put("extended", r.getBoolean("extended"))
        .put("extensionReason", r.getString("extension_reason")).put("refusalReason", r.getString("refusal_reason"))
        .put("closedAt", AccountStore.time(r, "closed_at"));
  }
}
