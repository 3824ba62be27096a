package eu.consentgateway.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of accounts, logins and subject links, as role cg_identity: the only code that reads nominative data. */
final class AccountStore {
  private static final String UPSERT = """
      INSERT INTO identity.accounts (site_id, account_id, name, email, phone, address, latitude, longitude, language,
                                     opposition, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
      ON CONFLICT (site_id, account_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
        phone = EXCLUDED.phone, address = EXCLUDED.address, latitude = EXCLUDED.latitude,
        longitude = EXCLUDED.longitude, language = EXCLUDED.language, opposition = EXCLUDED.opposition,
        updated_at = EXCLUDED.updated_at
      RETURNING (xmax = 0) AS created
      """;
  private static final String READ = """
      SELECT name, email, phone, address, latitude, longitude, language, opposition, created_at, updated_at,
             last_login_at, inactivity_notified_at, inactivity_deadline
        FROM identity.accounts WHERE site_id = $1 AND account_id = $2
      """;
  // a login ends any inactivity process under way
  private static final String LOGIN = """
      UPDATE identity.accounts SET last_login_at = $3, inactivity_notified_at = NULL, inactivity_deadline = NULL,
             inactivity_reminded = '{}'
       WHERE site_id = $1 AND account_id = $2
      """;
  private static final String LOGIN_ROW = "INSERT INTO identity.logins (site_id, account_id, at) VALUES ($1, $2, $3)";
  private static final String LINK = """
      INSERT INTO identity.account_subjects (site_id, subject_id, account_id, linked_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (site_id, subject_id) DO UPDATE SET account_id = EXCLUDED.account_id, linked_at = EXCLUDED.linked_at
      """;
  private static final String LOGINS = "SELECT at FROM identity.logins WHERE site_id = $1 AND account_id = $2 ORDER BY at";
  private static final String SUBJECTS = """
      SELECT subject_id, linked_at FROM identity.account_subjects WHERE site_id = $1 AND account_id = $2
       ORDER BY linked_at
      """;
  private static final String MAILS = """
      SELECT kind, status, created_at, sent_at FROM identity.mail WHERE site_id = $1 AND account_id = $2 ORDER BY mail_id
      """;
  private static final String OPPOSED = """
      SELECT s.site_id, s.subject_id FROM identity.account_subjects s
        JOIN identity.accounts a ON a.site_id = s.site_id AND a.account_id = s.account_id
       WHERE a.opposition
      """;
  // erasure: the account and what hangs from it; its requests stay, anonymous; a final notice may stay queued
  private static final String ERASE_MAIL = """
      DELETE FROM identity.mail WHERE site_id = $1 AND account_id = $2
         AND NOT (status = 'pending' AND kind = 'inactivity_deleted')
      """;
  private static final String ERASE_INCIDENTS = "DELETE FROM identity.incident_accounts WHERE site_id = $1 AND account_id = $2";
  private static final String ANONYMISE_REQUESTS = """
      UPDATE identity.requests SET account_id = NULL WHERE site_id = $1 AND account_id = $2
      """;
  private static final String ERASE = "DELETE FROM identity.accounts WHERE site_id = $1 AND account_id = $2";

  private final Pool pool;

  AccountStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** Creates or rectifies; completes with whether it was created. */
  Future<Boolean> upsert(String siteId, String accountId, JsonObject a, Instant now) {
    return pool.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {siteId, accountId, a.getString("name"),
        a.getString("email"), a.getString("phone"), a.getJsonObject("address"), a.getDouble("latitude"),
        a.getDouble("longitude"), a.getString("language"), a.getBoolean("opposition"), utc(now)}))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  Future<Optional<JsonObject>> read(SqlConnection conn, String siteId, String accountId) {
    return conn.preparedQuery(READ).execute(Tuple.of(siteId, accountId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      JsonObject out = new JsonObject().put("accountId", accountId).put("siteId", siteId)
          .put("name", r.getString("name")).put("email", r.getString("email")).put("phone", r.getString("phone"))
          .put("address", r.getJson("address")).put("language", r.getString("language"))
          .put("opposition", r.getBoolean("opposition")).put("createdAt", time(r, "created_at"))
          .put("updatedAt", time(r, "updated_at")).put("lastLoginAt", time(r, "last_login_at"))
          .put("inactivityNoticeAt", time(r, "inactivity_notified_at"))
          .put("deletionScheduledAt", time(r, "inactivity_deadline"));
      if (r.getDouble("latitude") != null) {
        out.put("coordinates", new JsonObject().put("latitude", r.getDouble("latitude"))
            .put("longitude", r.getDouble("longitude")));
      }
      return Optional.of(out);
    });
  }

  Future<Optional<JsonObject>> read(String siteId, String accountId) {
    return pool.withConnection(conn -> read(conn, siteId, accountId));
  }

  /** A login; completes with whether the account exists. */
  Future<Boolean> login(String siteId, String accountId, Instant at) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOGIN).execute(Tuple.of(siteId, accountId, utc(at)))
        .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
            : conn.preparedQuery(LOGIN_ROW).execute(Tuple.of(siteId, accountId, utc(at))).map(true)));
  }

  Future<Void> link(String siteId, String accountId, UUID subjectId, Instant at) {
    return pool.preparedQuery(LINK).execute(Tuple.of(siteId, subjectId, accountId, utc(at))).mapEmpty();
  }

  /** Logins (times), linked subjects, e-mails (kind and times) of an account. */
  Future<JsonObject> history(String siteId, String accountId) {
    Tuple key = Tuple.of(siteId, accountId);
    Future<io.vertx.sqlclient.RowSet<Row>> logins = pool.preparedQuery(LOGINS).execute(key);
    Future<io.vertx.sqlclient.RowSet<Row>> subjects = pool.preparedQuery(SUBJECTS).execute(key);
    Future<io.vertx.sqlclient.RowSet<Row>> mails = pool.preparedQuery(MAILS).execute(key);
    return Future.all(logins, subjects, mails).map(v -> {
      JsonArray l = new JsonArray();
      logins.result().forEach(r -> l.add(time(r, "at")));
      JsonArray s = new JsonArray();
      subjects.result().forEach(r -> s.add(new JsonObject().put("subjectId", r.getUUID("subject_id").toString())
          .put("linkedAt", time(r, "linked_at"))));
      JsonArray m = new JsonArray();
      mails.result().forEach(r -> m.add(new JsonObject().put("kind", r.getString("kind"))
          .put("status", r.getString("status")).put("queuedAt", time(r, "created_at"))
          .put("sentAt", time(r, "sent_at"))));
      return new JsonObject().put("logins", l).put("subjects", s).put("notices", m);
    });
  }

  /** Every (site, subject) whose account opposes prospecting. */
  Future<List<String[]>> opposed() {
    return pool.query(OPPOSED).execute().map(rows -> {
      List<String[]> out = new ArrayList<>();
      rows.forEach(r -> out.add(new String[] {r.getString("site_id"), r.getUUID("subject_id").toString()}));
      return out;
    });
  }

  /** Erases an account on {@code conn} (the caller's transaction); completes with whether it existed. */
  Future<Boolean> erase(SqlConnection conn, String siteId, String accountId) {
    Tuple key = Tuple.of(siteId, accountId);
    return conn.preparedQuery(ERASE_MAIL).execute(key)
        .compose(v -> conn.preparedQuery(ERASE_INCIDENTS).execute(key))
        .compose(v -> conn.preparedQuery(ANONYMISE_REQUESTS).execute(key))
        .compose(v -> conn.preparedQuery(ERASE).execute(key))
        .map(r -> r.rowCount() == 1);
  }

  static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  static String time(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant().toString();
  }
}
