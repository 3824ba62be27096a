package eu.consentgateway.site;

import eu.consentgateway.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** SQL for sites and policy versions. */
final class SiteStore {
  private static final String UPSERT_SITE = """
      INSERT INTO ops.sites (site_id, config, updated_at) VALUES ($1, $2, $3)
      ON CONFLICT (site_id) DO UPDATE SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at
      """;
  // A site's first version counts as substantial: consents start from it.
  private static final String ADD_VERSION_IF_NEW = """
      INSERT INTO ops.policy_versions (site_id, version, url, substantial, published_at)
      VALUES ($1, $2, $3, NOT EXISTS (SELECT 1 FROM ops.policy_versions WHERE site_id = $1), $4)
      ON CONFLICT (site_id, version) DO NOTHING
      """;
  private static final String PUBLISH_VERSION = """
      INSERT INTO ops.policy_versions (site_id, version, url, substantial, published_at)
      VALUES ($1, $2, $3, $4, $5)
      """;
  private static final String SET_CURRENT_VERSION = """
      UPDATE ops.sites SET config = jsonb_set(config, '{policy}', $2), updated_at = $3 WHERE site_id = $1
      """;
  // accepted: the versions published since (and including) the latest substantial one
  private static final String LOAD = """
      SELECT s.site_id, s.config, last.published_at AS renew_after,
             CASE WHEN last.seq > (SELECT min(seq) FROM ops.policy_versions f WHERE f.site_id = s.site_id)
                  THEN last.version END AS substantial_change,
             (SELECT array_agg(v.version) FROM ops.policy_versions v
               WHERE v.site_id = s.site_id AND v.seq >= coalesce(last.seq, 0)) AS versions
        FROM ops.sites s
        LEFT JOIN LATERAL (SELECT published_at, seq, version FROM ops.policy_versions v
                            WHERE v.site_id = s.site_id AND v.substantial ORDER BY seq DESC LIMIT 1) last ON true
       WHERE s.site_id = ANY($1)
      """;
  private static final String VERSION_EXISTS = """
      SELECT 1 FROM ops.policy_versions WHERE site_id = $1 AND version = $2
      """;

  private final Pool pool;

  SiteStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Publication times are kept in whole seconds, the precision of a token's period start, so a consent
   * given later in the same second as a publication is never taken for an older one.
   */
  private static OffsetDateTime published(Instant now) {
    return utc(now.truncatedTo(ChronoUnit.SECONDS));
  }

  Future<Void> put(String siteId, JsonObject config, Instant now) {
    JsonObject policy = config.getJsonObject("policy");
    return pool.withTransaction(conn -> conn.preparedQuery(UPSERT_SITE).execute(Tuple.of(siteId, config, utc(now)))
        .compose(r -> conn.preparedQuery(ADD_VERSION_IF_NEW)
            .execute(Tuple.of(siteId, policy.getString("version"), policy.getString("url"), published(now)))))
        .recover(e -> Future.failedFuture(SqlErrors.translate(e)))
        .mapEmpty();
  }

  Future<Void> publish(String siteId, JsonObject policy, boolean substantial, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(PUBLISH_VERSION)
            .execute(Tuple.of(siteId, policy.getString("version"), policy.getString("url"), substantial, published(now)))
            .compose(r -> conn.preparedQuery(SET_CURRENT_VERSION).execute(Tuple.of(siteId, policy, utc(now)))))
        .recover(e -> Future.failedFuture(SqlErrors.translate(e)))
        .mapEmpty();
  }

  Future<Optional<Site>> load(String siteId) {
    return load(java.util.List.of(siteId)).map(found -> found.stream().findFirst());
  }

  /** Several sites in one query (those that exist). */
  Future<java.util.List<Site>> load(java.util.List<String> siteIds) {
    return pool.preparedQuery(LOAD).execute(Tuple.of(siteIds.toArray(String[]::new))).map(rows -> {
      java.util.List<Site> out = new java.util.ArrayList<>();
      for (Row row : rows) {
        OffsetDateTime renewAfter = row.getOffsetDateTime("renew_after");
        String[] versions = row.getArrayOfStrings("versions");
        out.add(Sites.fromStored(row.getString("site_id"), (JsonObject) row.getJson("config"),
            versions == null ? java.util.Set.of() : java.util.Set.of(versions),
            renewAfter == null ? Instant.EPOCH : renewAfter.toInstant(), row.getString("substantial_change")));
      }
      return out;
    });
  }

  Future<Boolean> versionExists(String siteId, String version) {
    return pool.preparedQuery(VERSION_EXISTS).execute(Tuple.of(siteId, version)).map(rows -> rows.size() > 0);
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
