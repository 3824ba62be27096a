package eu.consentgateway.consent;

import eu.consentgateway.store.BatchWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for the consent ledger and notices. Inserts go through group-committing batch writers. */
final class ConsentStore {
  private static final String COLUMNS = """
      consent_id, site_id, subject_id, kind, notice_id, policy_version, text_hash, locale, method, choices,
      given_at, period_start, expires_at, supersedes, request_key, ip_prefix, ua_family, gpc""";
  // ON CONFLICT covers both unique rules: a consent is superseded once, a request key is used once.
  private static final String INSERT = "INSERT INTO consent.events (" + COLUMNS + """
      ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
      ON CONFLICT DO NOTHING RETURNING consent_id
      """;
  private static final String LATEST = "SELECT " + COLUMNS + """
       FROM consent.events WHERE site_id = $1 AND subject_id = $2 ORDER BY seq DESC LIMIT 1
      """;
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM consent.events WHERE consent_id = $1";
  private static final String BY_REQUEST_KEY = "SELECT " + COLUMNS
      + " FROM consent.events WHERE site_id = $1 AND request_key = $2";
  private static final String HISTORY = "SELECT " + COLUMNS
      + " FROM consent.events WHERE site_id = $1 AND subject_id = $2 ORDER BY seq";
  private static final String INSERT_NOTICE = """
      INSERT INTO consent.notices (notice_id, site_id, policy_version, text_hash, locale, shown_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      """;

  private static final String ERASE = "SELECT consent.erase_subject($1, $2, $3) AS erased";

  record Notice(UUID noticeId, String siteId, String policyVersion, String textHash, String locale, Instant shownAt) {
  }

  private final Pool pool;

  ConsentStore(Pool pool) {
    this.pool = pool;
  }

  /** One writer per event loop; each item's future says whether its row was inserted. */
  BatchWriter<ConsentRecord, Boolean> eventWriter() {
    return new BatchWriter<>(512, 2, this::insertAll);
  }

  BatchWriter<Notice, Void> noticeWriter() {
    return new BatchWriter<>(512, 2, this::insertNotices);
  }

  private Future<List<Boolean>> insertAll(List<ConsentRecord> records) {
    List<Tuple> tuples = new ArrayList<>(records.size());
    for (ConsentRecord r : records) {
      tuples.add(Tuple.from(new Object[] {r.consentId(), r.siteId(), r.subjectId(), r.kind(), r.noticeId(),
          r.policyVersion(), r.textHash(), r.locale(), r.method(), new JsonObject(new HashMap<>(r.choices())),
          utc(r.givenAt()), utc(r.periodStart()), utc(r.expiresAt()), r.supersedes(), r.requestKey(), r.ipPrefix(),
          r.uaFamily(), r.gpc()}));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT).executeBatch(tuples)).map(first -> {
      List<Boolean> inserted = new ArrayList<>(records.size());
      for (RowSet<Row> rs = first; rs != null; rs = rs.next()) {
        inserted.add(rs.size() > 0);
      }
      return inserted;
    });
  }

  private Future<List<Void>> insertNotices(List<Notice> notices) {
    List<Tuple> tuples = new ArrayList<>(notices.size());
    for (Notice n : notices) {
      tuples.add(Tuple.of(n.noticeId(), n.siteId(), n.policyVersion(), n.textHash(), n.locale(), utc(n.shownAt())));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_NOTICE).executeBatch(tuples))
        .map(r -> new ArrayList<>(java.util.Collections.nCopies(notices.size(), (Void) null)));
  }

  Future<Optional<ConsentRecord>> latest(String siteId, UUID subjectId) {
    return pool.preparedQuery(LATEST).execute(Tuple.of(siteId, subjectId)).map(ConsentStore::first);
  }

  Future<Optional<ConsentRecord>> byId(UUID consentId) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(consentId)).map(ConsentStore::first);
  }

  Future<Optional<ConsentRecord>> byRequestKey(String siteId, String key) {
    return pool.preparedQuery(BY_REQUEST_KEY).execute(Tuple.of(siteId, key)).map(ConsentStore::first);
  }

  Future<Integer> erase(String siteId, UUID subjectId, Instant at) {
    return pool.preparedQuery(ERASE).execute(Tuple.of(siteId, subjectId, utc(at)))
        .map(rows -> rows.iterator().next().getInteger("erased"));
  }

  Future<List<ConsentRecord>> history(String siteId, UUID subjectId) {
    return pool.preparedQuery(HISTORY).execute(Tuple.of(siteId, subjectId)).map(rows -> {
      List<ConsentRecord> out = new ArrayList<>();
      rows.forEach(row -> out.add(record(row)));
      return out;
    });
  }

  private static Optional<ConsentRecord> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(record(rows.iterator().next()));
  }

  private static ConsentRecord record(Row row) {
    Map<String, Boolean> choices = new HashMap<>();
    ((JsonObject) row.getJson("choices")).forEach(e -> choices.put(e.getKey(), (Boolean) e.getValue()));
    return new ConsentRecord(row.getUUID("consent_id"), row.getString("site_id"), row.getUUID("subject_id"),
        row.getString("kind"), row.getUUID("notice_id"), row.getString("policy_version"),
        row.getString("text_hash"), row.getString("locale"), row.getString("method"), Map.copyOf(choices),
        instant(row.getOffsetDateTime("given_at")), instant(row.getOffsetDateTime("period_start")),
        instant(row.getOffsetDateTime("expires_at")), row.getUUID("supersedes"), row.getString("request_key"),
        row.getString("ip_prefix"), row.getString("ua_family"), row.getBoolean("gpc"));
  }

  private static Instant instant(OffsetDateTime t) {
    return t.toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
