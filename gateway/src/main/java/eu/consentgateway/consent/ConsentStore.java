package eu.consentgateway.consent;

import eu.consentgateway.store.BatchWriter;
import eu.consentgateway.store.WriteHealth;
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
      given_at, period_start, expires_at, supersedes, request_key, request_hash, ip_prefix, ua_family, gpc""";
  // One statement per batch: one round trip and one commit whatever the batch size. ON CONFLICT covers
  // both unique rules: a consent is superseded once, a request key is used once.
  private static final String INSERT = "INSERT INTO consent.events (" + COLUMNS + """
      ) SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[],
        $8::text[], $9::text[], $10::jsonb[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[],
        $14::uuid[], $15::text[], $16::text[], $17::text[], $18::text[], $19::bool[])
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
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
      ON CONFLICT (notice_id) DO NOTHING
      """;
  // after a retry, a row already there under this consent id is ours: the first attempt did commit
  private static final String PRESENT = "SELECT consent_id FROM consent.events WHERE consent_id = ANY($1)";

  private static final String ERASE = "SELECT consent.erase_subject($1, $2, $3) AS erased";

  record Notice(UUID noticeId, String siteId, String policyVersion, String textHash, String locale, Instant shownAt) {
  }

  private final Pool pool;

  ConsentStore(Pool pool) {
    this.pool = pool;
  }

  /** One writer for every event loop; each item's future says whether its row was inserted. */
  BatchWriter<ConsentRecord, Boolean> eventWriter(WriteHealth health) {
    return new BatchWriter<>("consents", 512, 1, health, this::insertAll);
  }

  BatchWriter<Notice, Void> noticeWriter(WriteHealth health) {
    return new BatchWriter<>("notices", 512, 1, health, this::insertNotices);
  }

  private Future<List<Boolean>> insertAll(List<ConsentRecord> records) {
    int n = records.size();
    Object[][] columns = new Object[19][];
    columns[0] = new UUID[n];
    columns[1] = new String[n];
    columns[2] = new UUID[n];
    columns[3] = new String[n];
    columns[4] = new UUID[n];
    columns[5] = new String[n];
    columns[6] = new String[n];
    columns[7] = new String[n];
    columns[8] = new String[n];
    columns[9] = new JsonObject[n];
    columns[10] = new OffsetDateTime[n];
    columns[11] = new OffsetDateTime[n];
    columns[12] = new OffsetDateTime[n];
    columns[13] = new UUID[n];
    columns[14] = new String[n];
    columns[15] = new String[n];
    columns[16] = new String[n];
    columns[17] = new String[n];
    columns[18] = new Boolean[n];
    for (int i = 0; i < n; i++) {
      ConsentRecord r = records.get(i);
      Object[] row = {r.consentId(), r.siteId(), r.subjectId(), r.kind(), r.noticeId(), r.policyVersion(),
          r.textHash(), r.locale(), r.method(), new JsonObject(new HashMap<>(r.choices())), utc(r.givenAt()),
          utc(r.periodStart()), utc(r.expiresAt()), r.supersedes(), r.requestKey(), r.requestHash(), r.ipPrefix(),
          r.uaFamily(), r.gpc()};
      for (int c = 0; c < row.length; c++) {
        columns[c][i] = row[c];
      }
    }
    return pool.preparedQuery(INSERT).execute(Tuple.from(columns)).compose(rows -> {
      java.util.Set<UUID> inserted = new java.util.HashSet<>();
      rows.forEach(row -> inserted.add(row.getUUID(0)));
      List<UUID> missing = records.stream().map(ConsentRecord::consentId).filter(id -> !inserted.contains(id)).toList();
      Future<java.util.Set<UUID>> ours = missing.isEmpty() ? Future.succeededFuture(inserted)
          : pool.preparedQuery(PRESENT).execute(Tuple.of(missing.toArray(UUID[]::new))).map(present -> {
            present.forEach(row -> inserted.add(row.getUUID(0)));
            return inserted;
          });
      return ours.map(done -> {
        List<Boolean> out = new ArrayList<>(n);
        for (ConsentRecord r : records) {
          out.add(done.contains(r.consentId()));
        }
        return out;
      });
    });
  }

  private Future<List<Void>> insertNotices(List<Notice> notices) {
    int n = notices.size();
    UUID[] ids = new UUID[n];
    String[] sites = new String[n];
    String[] versions = new String[n];
    String[] hashes = new String[n];
    String[] locales = new String[n];
    OffsetDateTime[] shown = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Notice x = notices.get(i);
      ids[i] = x.noticeId();
      sites[i] = x.siteId();
      versions[i] = x.policyVersion();
      hashes[i] = x.textHash();
      locales[i] = x.locale();
      shown[i] = utc(x.shownAt());
    }
    return pool.preparedQuery(INSERT_NOTICE).execute(Tuple.of(ids, sites, versions, hashes, locales, shown))
        .map(r -> new ArrayList<>(java.util.Collections.nCopies(n, (Void) null)));
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
        row.getString("request_hash"), row.getString("ip_prefix"), row.getString("ua_family"), row.getBoolean("gpc"));
  }

  private static Instant instant(OffsetDateTime t) {
    return t.toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
