package eu.consentgateway.identity;

import eu.consentgateway.consent.Consents;
import eu.consentgateway.consent.Overrides;
import eu.consentgateway.mail.Mail;
import eu.consentgateway.mail.MailOutbox;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Audit;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.store.Database;
import eu.consentgateway.store.RedisBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Account holders: the only feature that reads the `identity` schema. Site backends register accounts and their
 * logins, link consent subjects, export and erase; rights requests run against their deadlines; the life-cycle
 * jobs (inactivity, breach notices, policy notices) act through the methods below, each change and the e-mail it
 * causes in one transaction. Nothing here is ever joined to terminal data.
 */
public final class Identity {
  /** An account holder as the life-cycle jobs see one. */
  public record Holder(String siteId, String accountId, String name, String email, String language,
      Instant lastActive, Instant notifiedAt, Instant deadline) {
  }

  private final Pool pool;
  private final AccountStore accounts;
  private final Holders holders;
  private final IncidentStore incidents;
  private final Requests requests;
  private final Opposition opposition;
  private final MailOutbox outbox;
  private final Audit audit;
  private final Clock clock;
  private final AccountRoutes routes;
  private final RequestRoutes requestRoutes;

  public Identity(Database db, RedisBus bus, Consents consents, SiteRegistry sites, ApiKeys keys, Audit audit,
      MailOutbox outbox, Clock clock) {
    this.pool = db.identity();
    this.accounts = new AccountStore(pool);
    this.holders = new Holders(pool);
    this.incidents = new IncidentStore(pool);
    this.requests = new Requests(pool, clock);
    this.opposition = new Opposition(accounts, bus);
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.routes = new AccountRoutes(this, accounts, requests, consents, sites, keys, audit, clock);
    this.requestRoutes = new RequestRoutes(accounts, requests, sites, keys, audit);
  }

  /** What an account holder's opposition refuses, for tokens, beacons and forwarding. */
  public Overrides overrides() {
    return opposition;
  }

  public void mount(Router router) {
    routes.mount(router);
    requestRoutes.mount(router);
  }

  /** Loads the opposition set and keeps it fresh; returns the timer. */
  public long start(Vertx vertx) {
    return opposition.start(vertx);
  }

  Opposition opposition() {
    return opposition;
  }

  /** The audit target of an account: its site and a hash of its id, never the id (it may be an e-mail). */
  static String target(String siteId, String accountId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((siteId + "\u0000" + accountId)
          .getBytes(StandardCharsets.UTF_8));
      return siteId + "/" + HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Erases an account (on demand, on termination, after inactivity): nominative data, logins, links and e-mails go;
   * requests stay without the account id; the consent ledger keeps its pseudonymous proof. {@code finalNotice}, when
   * given, is queued in the same transaction. Completes with whether the account existed.
   */
  public Future<Boolean> erase(String siteId, String accountId, String actor, String reason, Mail finalNotice) {
    return erase(siteId, accountId, actor, reason, finalNotice, conn -> Future.succeededFuture(true));
  }

  /** As above, once {@code condition} holds inside the same transaction (a deadline still passed, say). */
  private Future<Boolean> erase(String siteId, String accountId, String actor, String reason, Mail finalNotice,
      java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<Boolean>> condition) {
    Instant now = clock.instant();
    // the erasure requests close first: erasing the account takes the account id off its requests
    return pool.withTransaction(conn -> condition.apply(conn).compose(go -> !go ? Future.succeededFuture(false)
        : requests.fulfil(conn, siteId, accountId, "erasure").compose(v -> accounts.erase(conn, siteId, accountId))
            .compose(existed -> !existed || finalNotice == null ? Future.succeededFuture(existed)
                : outbox.enqueue(conn, finalNotice, now).map(true)))).compose(existed -> !existed ? Future.succeededFuture(false)
        : audit.record(actor, "account.erase", target(siteId, accountId), new JsonObject().put("reason", reason))
            .compose(v -> opposition.changed()).map(true));
  }

  public Future<List<Holder>> toInvite(Instant lastActiveBefore, int limit) {
    return holders.toInvite(lastActiveBefore, limit).map(Identity::holders);
  }

  /** Starts an inactivity cycle: deadline set and invitation queued together (false if a login came first). */
  public Future<Boolean> invite(Holder h, Instant deadline, Instant lastActiveBefore, Mail invitation) {
    Instant now = clock.instant();
    return pool.withTransaction(conn -> holders.invited(conn, raw(h), now, deadline, lastActiveBefore)
        .compose(changed -> changed ? outbox.enqueue(conn, invitation, now).map(true) : Future.succeededFuture(false)));
  }

  public Future<List<Holder>> toRemind(Instant now, int daysLeft, int limit) {
    return holders.toRemind(now, daysLeft, limit).map(Identity::holders);
  }

  public Future<Boolean> remind(Holder h, int daysLeft, Mail reminder) {
    Instant now = clock.instant();
    return pool.withTransaction(conn -> holders.reminded(conn, raw(h), daysLeft)
        .compose(changed -> changed ? outbox.enqueue(conn, reminder, now).map(true) : Future.succeededFuture(false)));
  }

  public Future<List<Holder>> toDelete(Instant now, int limit) {
    return holders.toDelete(now, limit).map(Identity::holders);
  }

  /** Deletes an account whose grace period ended, if no login came meanwhile, with its final notice. */
  public Future<Boolean> deleteInactive(Holder h, Mail finalNotice) {
    Instant now = clock.instant();
    return erase(h.siteId(), h.accountId(), "job:inactivity", "inactivity", finalNotice,
        conn -> holders.stillDue(conn, raw(h), now));
  }

  public Future<UUID> recordIncident(JsonObject incident) {
    return incidents.create(incident, clock.instant());
  }

  public Future<List<JsonObject>> incidents(UUID only) {
    return incidents.list(only);
  }

  public Future<Boolean> authorityNotified(UUID incident, Instant at) {
    return incidents.authorityNotified(incident, at);
  }

  public Future<Long> authorityOverdue() {
    return incidents.authorityOverdue(clock.instant());
  }

  /** Holders of {@code sites} (or of {@code accounts} among them) not yet queued for this incident. */
  public Future<List<Holder>> ofIncident(UUID incident, List<String> sites, List<String> accountIds, int limit) {
    return holders.ofIncident(incident, sites.toArray(String[]::new),
        accountIds == null ? null : accountIds.toArray(String[]::new), limit).map(Identity::holders);
  }

  public Future<Boolean> notifyIncident(UUID incident, Holder h, Mail notice) {
    Instant now = clock.instant();
    return pool.withTransaction(conn -> holders.incidentQueued(conn, incident, raw(h), now)
        .compose(fresh -> fresh ? outbox.enqueue(conn, notice, now).map(true) : Future.succeededFuture(false)));
  }

  /** Records that the notice of {@code incident} reached the SMTP server for that holder. */
  public Future<Void> incidentNotified(UUID incident, String siteId, String accountId) {
    return incidents.holderNotified(incident, siteId, accountId, clock.instant());
  }

  public Future<List<Holder>> notToldOfPolicy(String siteId, String version, int limit) {
    return holders.notToldOfPolicy(siteId, version, limit).map(Identity::holders);
  }

  public Future<Boolean> notifyPolicy(Mail notice) {
    Instant now = clock.instant();
    return pool.withConnection(conn -> outbox.enqueue(conn, notice, now));
  }

  /** Open requests past due and due within a week. */
  public Future<long[]> requestCounts() {
    return requests.counts();
  }

  private static List<Holder> holders(List<Holders.Holder> in) {
    return in.stream().map(h -> new Holder(h.siteId(), h.accountId(), h.name(), h.email(), h.language(),
        h.lastActive(), h.notifiedAt(), h.deadline())).toList();
  }

  private static Holders.Holder raw(Holder h) {
    return new Holders.Holder(h.siteId(), h.accountId(), h.name(), h.email(), h.language(), h.lastActive(),
        h.notifiedAt(), h.deadline());
  }
}
