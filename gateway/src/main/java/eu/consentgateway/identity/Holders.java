package eu.consentgateway.identity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL the life-cycle jobs need (who is due for an invitation, a reminder, a deletion, a breach notice, a
 * policy notice), kept here because only this package reads `identity`. Each selection leaves out what was
 * already done, so a capped run never starves the rest, and each change re-checks its condition when it runs.
 */
final class Holders {
  private static final String COLUMNS = "a.site_id, a.account_id, a.name, a.email, a.language, "
      + "coalesce(a.last_login_at, a.created_at) AS last_active, a.inactivity_notified_at, a.inactivity_deadline";
  private static final String TO_INVITE = "SELECT " + COLUMNS + """
       FROM identity.accounts a WHERE a.inactivity_notified_at IS NULL AND coalesce(a.last_login_at, a.created_at) <= $1
       ORDER BY coalesce(a.last_login_at, a.created_at) LIMIT $2
      """;
  private static final String INVITED = """
      UPDATE identity.accounts SET inactivity_notified_at = $3, inactivity_deadline = $4, inactivity_reminded = '{}'
       WHERE site_id = $1 AND account_id = $2 AND inactivity_notified_at IS NULL
         AND coalesce(last_login_at, created_at) <= $5
      """;
  private static final String TO_REMIND = "SELECT " + COLUMNS + """
       FROM identity.accounts a WHERE a.inactivity_deadline > $1 AND a.inactivity_deadline <= $2
         AND NOT ($3 = ANY (a.inactivity_reminded)) ORDER BY a.inactivity_deadline LIMIT $4
      """;
  private static final String REMINDED = """
      UPDATE identity.accounts SET inactivity_reminded = array_append(inactivity_reminded, $3)
       WHERE site_id = $1 AND account_id = $2 AND inactivity_deadline IS NOT NULL AND NOT ($3 = ANY (inactivity_reminded))
      """;
  private static final String TO_DELETE = "SELECT " + COLUMNS + """
       FROM identity.accounts a WHERE a.inactivity_deadline <= $1 ORDER BY a.inactivity_deadline LIMIT $2
      """;
  private static final String STILL_DUE = """
      SELECT 1 FROM identity.accounts WHERE site_id = $1 AND account_id = $2 AND inactivity_deadline <= $3 FOR UPDATE
      """;
  private static final String OF_INCIDENT = "SELECT " + COLUMNS + """
       FROM identity.accounts a WHERE a.site_id = ANY ($1) AND ($4::text[] IS NULL OR a.account_id = ANY ($4))
         AND NOT EXISTS (SELECT 1 FROM identity.incident_accounts i WHERE i.incident_id = $2
                           AND i.site_id = a.site_id AND i.account_id = a.account_id)
       ORDER BY a.site_id, a.account_id LIMIT $3
      """;
  private static final String INCIDENT_QUEUED = """
      INSERT INTO identity.incident_accounts (incident_id, site_id, account_id, queued_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING
      """;
  private static final String NOT_TOLD_OF_POLICY = "SELECT " + COLUMNS + """
       FROM identity.accounts a WHERE a.site_id = $1 AND NOT EXISTS (SELECT 1 FROM identity.mail m
         WHERE m.dedupe_key = 'policy_change:' || a.site_id || ':' || a.account_id || ':' || $2)
       ORDER BY a.account_id LIMIT $3
      """;

  /** An account holder as the jobs see one. */
  record Holder(String siteId, String accountId, String name, String email, String language, Instant lastActive,
      Instant notifiedAt, Instant deadline) {
  }

  private final Pool pool;

  Holders(Pool pool) {
    this.pool = pool;
  }

  Future<List<Holder>> toInvite(Instant lastActiveBefore, int limit) {
    return pool.preparedQuery(TO_INVITE).execute(Tuple.of(AccountStore.utc(lastActiveBefore), limit))
        .map(Holders::holders);
  }

  Future<Boolean> invited(SqlConnection conn, Holder h, Instant now, Instant deadline, Instant lastActiveBefore) {
    return conn.preparedQuery(INVITED).execute(Tuple.of(h.siteId(), h.accountId(), AccountStore.utc(now),
        AccountStore.utc(deadline), AccountStore.utc(lastActiveBefore))).map(r -> r.rowCount() == 1);
  }

  Future<List<Holder>> toRemind(Instant now, int daysLeft, int limit) {
    return pool.preparedQuery(TO_REMIND).execute(Tuple.of(AccountStore.utc(now),
        AccountStore.utc(now.plus(java.time.Duration.ofDays(daysLeft))), daysLeft, limit)).map(Holders::holders);
  }

  Future<Boolean> reminded(SqlConnection conn, Holder h, int daysLeft) {
    return conn.preparedQuery(REMINDED).execute(Tuple.of(h.siteId(), h.accountId(), daysLeft))
        .map(r -> r.rowCount() == 1);
  }

  Future<List<Holder>> toDelete(Instant now, int limit) {
    return pool.preparedQuery(TO_DELETE).execute(Tuple.of(AccountStore.utc(now), limit)).map(Holders::holders);
  }

  /** Locks the account if its deadline has passed (a login meanwhile makes this false). */
  Future<Boolean> stillDue(SqlConnection conn, Holder h, Instant now) {
    return conn.preparedQuery(STILL_DUE).execute(Tuple.of(h.siteId(), h.accountId(), AccountStore.utc(now)))
        .map(r -> r.size() == 1);
  }

  Future<List<Holder>> ofIncident(UUID incident, String[] sites, String[] accounts, int limit) {
    return pool.preparedQuery(OF_INCIDENT).execute(Tuple.of(sites, incident, limit, accounts)).map(Holders::holders);
  }

  Future<Boolean> incidentQueued(SqlConnection conn, UUID incident, Holder h, Instant now) {
    return conn.preparedQuery(INCIDENT_QUEUED).execute(Tuple.of(incident, h.siteId(), h.accountId(),
        AccountStore.utc(now))).map(r -> r.rowCount() == 1);
  }

  Future<List<Holder>> notToldOfPolicy(String siteId, String version, int limit) {
    return pool.preparedQuery(NOT_TOLD_OF_POLICY).execute(Tuple.of(siteId, version, limit)).map(Holders::holders);
  }

  private static List<Holder> holders(RowSet<Row> rows) {
    List<Holder> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new Holder(r.getString("site_id"), r.getString("account_id"), r.getString("name"),
          r.getString("email"), r.getString("language"), instant(r, "last_active"),
          instant(r, "inactivity_notified_at"), instant(r, "inactivity_deadline")));
    }
    return out;
  }

  private static Instant instant(Row r, String column) {
    var t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
