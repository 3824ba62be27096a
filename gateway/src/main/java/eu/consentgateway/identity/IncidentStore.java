package eu.consentgateway.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** SQL of the breach register (GDPR Art. 33) and of who was told (Art. 34). */
final class IncidentStore {
  private static final String INSERT = """
      INSERT INTO identity.incidents (incident_id, nature, categories, approx_people, approx_records, consequences,
        measures, contact, risk, sites, discovered_at, recorded_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
      """;
  private static final String READ = """
      SELECT i.*, (SELECT count(*) FROM identity.incident_accounts a WHERE a.incident_id = i.incident_id) AS queued,
             (SELECT count(*) FROM identity.incident_accounts a WHERE a.incident_id = i.incident_id
                AND a.notified_at IS NOT NULL) AS notified
        FROM identity.incidents i
      """;
  private static final String AUTHORITY = """
      UPDATE identity.incidents SET authority_notified_at = $2 WHERE incident_id = $1 AND authority_notified_at IS NULL
      """;
  private static final String NOTIFIED = """
      UPDATE identity.incident_accounts SET notified_at = $4 WHERE incident_id = $1 AND site_id = $2 AND account_id = $3
      """;
  private static final String OVERDUE = """
      SELECT count(*) AS n FROM identity.incidents WHERE authority_notified_at IS NULL AND discovered_at < $1
      """;

  private final Pool pool;

  IncidentStore(Pool pool) {
    this.pool = pool;
  }

  Future<UUID> create(JsonObject i, Instant now) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id, i.getString("nature"),
        i.getJsonArray("categories").getList().toArray(String[]::new), i.getLong("approxPeople"),
        i.getLong("approxRecords"), i.getString("consequences"), i.getString("measures"), i.getString("contact"),
        i.getString("risk"), i.getJsonArray("sites").getList().toArray(String[]::new),
        AccountStore.utc(Instant.parse(i.getString("discoveredAt"))), AccountStore.utc(now)})).map(id);
  }

  Future<List<JsonObject>> list(UUID only) {
    String sql = READ + (only == null ? " ORDER BY i.discovered_at DESC LIMIT 500" : " WHERE i.incident_id = $1");
    return (only == null ? pool.query(sql).execute() : pool.preparedQuery(sql).execute(Tuple.of(only)))
        .map(rows -> {
          List<JsonObject> out = new java.util.ArrayList<>();
          rows.forEach(r -> out.add(json(r)));
          return out;
        });
  }

  Future<Boolean> authorityNotified(UUID id, Instant at) {
    return pool.preparedQuery(AUTHORITY).execute(Tuple.of(id, AccountStore.utc(at))).map(r -> r.rowCount() == 1);
  }

  Future<Void> holderNotified(UUID id, String siteId, String accountId, Instant at) {
    return pool.preparedQuery(NOTIFIED).execute(Tuple.of(id, siteId, accountId, AccountStore.utc(at))).mapEmpty();
  }

  /** Incidents discovered more than 72 hours ago whose authority notification is not recorded. */
  Future<Long> authorityOverdue(Instant now) {
    return pool.preparedQuery(OVERDUE).execute(Tuple.of(AccountStore.utc(now.minus(java.time.Duration.ofHours(72)))))
        .map(r -> r.iterator().next().getLong("n"));
  }

  private static JsonObject json(Row r) {
    Instant discovered = r.getOffsetDateTime("discovered_at").toInstant();
    return new JsonObject().put("incidentId", r.getUUID("incident_id").toString())
        .put("nature", r.getString("nature")).put("categories", new JsonArray(List.of(r.getArrayOfStrings("categories"))))
        .put("approxPeople", r.getLong("approx_people")).put("approxRecords", r.getLong("approx_records"))
        .put("consequences", r.getString("consequences")).put("measures", r.getString("measures"))
        .put("contact", r.getString("contact")).put("risk", r.getString("risk"))
        .put("sites", new JsonArray(List.of(r.getArrayOfStrings("sites"))))
        .put("discoveredAt", discovered.toString()).put("recordedAt", AccountStore.time(r, "recorded_at"))
        .put("authorityDeadline", discovered.plus(java.time.Duration.ofHours(72)).toString())
        .put("authorityNotifiedAt", AccountStore.time(r, "authority_notified_at"))
        .put("holdersQueued", r.getLong("queued")).put("holdersNotified", r.getLong("notified"));
  }
}
