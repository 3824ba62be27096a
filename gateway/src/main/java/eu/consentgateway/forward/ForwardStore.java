package eu.consentgateway.forward;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of the outbox: claim due rows with a lease, re-check consent, settle each delivery. */
final class ForwardStore {
  // A claimed row is leased: if this instance dies mid-delivery, another delivers it after the lease.
  private static final String CLAIM = """
      UPDATE ops.outbox o SET next_at = $2
       WHERE o.id IN (SELECT id FROM ops.outbox WHERE status = 'pending' AND next_at <= $1
                       ORDER BY next_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.delivery_id, o.site_id, o.destination_id, o.consent_id, o.purposes, o.payload, o.attempts
      """;
  // The subject's latest event decides, whatever consent the beacon came under.
  private static final String CONSENT_NOW = """
      SELECT e1.consent_id, e1.subject_id, last.choices, last.expires_at, last.period_start
        FROM consent.events e1
        JOIN LATERAL (SELECT e2.choices, e2.expires_at, e2.period_start FROM consent.events e2
                       WHERE e2.site_id = e1.site_id AND e2.subject_id = e1.subject_id
                       ORDER BY e2.seq DESC LIMIT 1) last ON true
       WHERE e1.consent_id = ANY($1)
      """;
  private static final String DELETE = "DELETE FROM ops.outbox WHERE id = $1";
  private static final String RETRY = """
      UPDATE ops.outbox SET attempts = $2, next_at = $3, last_error = $4,
             status = CASE WHEN $5 THEN 'dead' ELSE 'pending' END
       WHERE id = $1
      """;
  private static final String POSTPONE = "UPDATE ops.outbox SET next_at = $2, last_error = $3 WHERE id = $1";
  private static final String DEAD = """
      SELECT delivery_id, destination_id, attempts, last_error, created_at, payload
        FROM ops.outbox WHERE site_id = $1 AND status = 'dead' ORDER BY id LIMIT 500
      """;
  private static final String REQUEUE = """
      UPDATE ops.outbox SET status = 'pending', attempts = 0, next_at = $2 WHERE site_id = $1 AND status = 'dead'
      """;

  record Claimed(long id, UUID deliveryId, String siteId, String destinationId, UUID consentId, List<String> purposes,
      JsonObject payload, int attempts) {
  }

  record ConsentNow(UUID subjectId, Map<String, Boolean> choices, Instant expiresAt, Instant periodStart) {
  }

  private final Pool pool;

  ForwardStore(Pool pool) {
    this.pool = pool;
  }

  Future<List<Claimed>> claim(Instant now, Instant leaseUntil, int limit) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(rows -> {
      List<Claimed> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Claimed(r.getLong("id"), r.getUUID("delivery_id"), r.getString("site_id"),
            r.getString("destination_id"), r.getUUID("consent_id"), List.of(r.getArrayOfStrings("purposes")),
            (JsonObject) r.getJson("payload"), r.getInteger("attempts")));
      }
      return out;
    });
  }

  Future<Map<UUID, ConsentNow>> consentNow(List<UUID> consentIds) {
    return pool.preparedQuery(CONSENT_NOW).execute(Tuple.of(consentIds.toArray(UUID[]::new))).map(rows -> {
      Map<UUID, ConsentNow> out = new HashMap<>();
      for (Row r : rows) {
        Map<String, Boolean> choices = new HashMap<>();
        ((JsonObject) r.getJson("choices")).forEach(e -> choices.put(e.getKey(), (Boolean) e.getValue()));
        out.put(r.getUUID("consent_id"), new ConsentNow(r.getUUID("subject_id"), choices,
            r.getOffsetDateTime("expires_at").toInstant(),
            r.getOffsetDateTime("period_start").toInstant()));
      }
      return out;
    });
  }

  Future<Void> delivered(long id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).mapEmpty();
  }

  Future<Void> failed(long id, int attempts, Instant next, String error, boolean dead) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(id, attempts, utc(next), error, dead)).mapEmpty();
  }

  Future<Void> postpone(long id, Instant next, String why) {
    return pool.preparedQuery(POSTPONE).execute(Tuple.of(id, utc(next), why)).mapEmpty();
  }

  Future<JsonArray> deadLetters(String siteId) {
    return pool.preparedQuery(DEAD).execute(Tuple.of(siteId)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("deliveryId", r.getUUID("delivery_id").toString())
            .put("destination", r.getString("destination_id")).put("attempts", r.getInteger("attempts"))
            .put("lastError", r.getString("last_error"))
            .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
            .put("event", r.getJson("payload")));
      }
      return out;
    });
  }

  Future<Integer> requeue(String siteId, Instant now) {
    return pool.preparedQuery(REQUEUE).execute(Tuple.of(siteId, utc(now))).map(rows -> rows.rowCount());
  }

  private static java.time.OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
