package eu.consentgateway.consent;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.metrics.Meters;
import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import eu.consentgateway.store.BatchWriter;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.store.WriteHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The consent ledger's rules. Validity is fixed at the first deposit: {@code expiresAt = periodStart + 13
 * calendar months}; a later event for the same subject while that period runs (and began after the latest
 * substantial policy version) keeps it, withdrawal included; otherwise the event opens a new period.
 * Other features verify tokens through {@link #verify}.
 */
public final class Consents {
  public static final int VALIDITY_MONTHS = 13;
  /** How long an Idempotency-Key replays its request; after that it is refused rather than reused. */
  static final Duration REQUEST_KEY_LIFETIME = Duration.ofHours(24);

  /**
   * What a caller asks to record; the service decides kind, period and expiry. {@code subjectId} is a subject
   * the caller proved with its token, or null for a new one; {@code requestHash} binds the request key.
   */
  record Request(Site site, UUID subjectId, UUID noticeId, String policyVersion, String locale, String method,
      Map<String, Boolean> choices, boolean gpc, String requestKey, String requestHash, String ipPrefix,
      String uaFamily) {
  }

  /** A verified token and whether the site's latest substantial policy asks the visitor again. */
  public record Verified(TokenClaims claims, boolean renewRequired) {
  }

  private final ConsentStore store;
  private final Revocations revocations;
  private final ConsentTokens tokens;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final BatchWriter<ConsentRecord, Boolean> writer;
  private final BatchWriter<ConsentStore.Notice, Void> noticeWriter;
  private volatile Overrides overrides = Overrides.NONE;

  public Consents(Pool pool, RedisBus bus, ConsentTokens tokens, Clock clock,
      MeterRegistry metrics, WriteHealth writes) {
    this.store = new ConsentStore(pool);
    this.revocations = new Revocations(pool, bus);
    this.tokens = tokens;
    this.clock = clock;
    this.metrics = metrics;
    // one group-committing writer of each for every event loop, one write in flight: half the commits of a writer
    // per loop for the same rows in bench/run-consents.sh (7 December), at the same throughput or better
    this.writer = store.eventWriter(writes);
    this.noticeWriter = store.noticeWriter(writes);
  }

  /** Purposes refused whatever the banner said (opposition of an account holder); set once at start-up. */
  public void overrides(Overrides overrides) {
    this.overrides = overrides;
  }

  /** What the record's subject is granted now: its choices less what an opposition refuses. */
  public TokenClaims effective(ConsentRecord record) {
    return record.claims().without(overrides.refused(record.siteId(), record.subjectId()));
  }

  /** The record's public shape with the choices in force (the ledger keeps the banner's answer as proof). */
  public io.vertx.core.json.JsonObject effectiveJson(ConsentRecord record) {
    java.util.Set<String> refused = overrides.refused(record.siteId(), record.subjectId());
    io.vertx.core.json.JsonObject json = record.toJson();
    if (!refused.isEmpty()) {
      io.vertx.core.json.JsonObject choices = json.getJsonObject("choices");
      refused.forEach(p -> {
        if (choices.containsKey(p)) {
          choices.put(p, false);
        }
      });
      json.put("opposition", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(new java.util.TreeSet<>(refused))));
    }
    return json;
  }

  /** Now, at the precision the ledger stores (microseconds), so the first answer equals every later one. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static Instant expiry(Instant periodStart) {
    return periodStart.atZone(ZoneOffset.UTC).plusMonths(VALIDITY_MONTHS).toInstant();
  }

  /** Whether an earlier record's period still runs for a new event at {@code now}. */
  static boolean periodRuns(ConsentRecord previous, Site site, Instant now) {
    return now.isBefore(previous.expiresAt()) && !previous.periodStart().isBefore(site.renewAfter());
  }

  ConsentStore store() {
    return store;
  }

  Future<UUID> notice(Site site, String policyVersion, String locale) {
    UUID id = UUID.randomUUID();
    return noticeWriter.submit(new ConsentStore.Notice(id, site.id(), policyVersion, site.textHash(locale),
        locale, now())).map(v -> id);
  }

  /** Records a choice; the result carries the new record and its token. */
  Future<Issued> record(Request request) {
    Future<Optional<ConsentRecord>> previous = request.subjectId() == null
        ? Future.succeededFuture(Optional.empty())
        : store.latest(request.site().id(), request.subjectId());
    return previous.compose(prev -> {
      Instant now = now();
      boolean runs = prev.isPresent() && periodRuns(prev.get(), request.site(), now);
      Instant periodStart = runs ? prev.get().periodStart() : now;
      ConsentRecord record = new ConsentRecord(UUID.randomUUID(), request.site().id(),
          request.subjectId() != null ? request.subjectId() : UUID.randomUUID(), runs ? "updated" : "given",
          request.noticeId(), request.policyVersion(), request.site().textHash(request.locale()), request.locale(),
          request.method(), request.choices(), now, periodStart, runs ? prev.get().expiresAt() : expiry(now),
          prev.map(ConsentRecord::consentId).orElse(null), request.requestKey(), request.requestHash(),
          request.ipPrefix(), request.uaFamily(), request.gpc());
      return write(record, prev);
    });
  }

  /** Refuses every non-necessary purpose of the token's subject, as a new event; the token stops working. */
  public Future<Issued> withdraw(Site site, TokenClaims claims, String ipPrefix, String uaFamily) {
    return store.byId(claims.consentId()).compose(found -> {
      ConsentRecord prev = found.orElseThrow(ConsentTokens::refused);
      Instant now = now();
      boolean runs = periodRuns(prev, site, now);
      Map<String, Boolean> refused = new HashMap<>();
      for (Purpose p : site.purposes()) {
        refused.put(p.id(), p.required());
      }
      ConsentRecord record = new ConsentRecord(UUID.randomUUID(), site.id(), prev.subjectId(), "withdrawn", null,
          site.policyVersion(), site.textHash(prev.locale()), prev.locale(), "withdraw", Map.copyOf(refused), now,
          runs ? prev.periodStart() : now, runs ? prev.expiresAt() : expiry(now), prev.consentId(), null, null,
          ipPrefix, uaFamily, prev.gpc());
      return write(record, Optional.of(prev));
    });
  }

  private Future<Issued> write(ConsentRecord record, Optional<ConsentRecord> prev) {
    return writer.submit(record).compose(inserted -> {
      if (inserted) {
        prev.ifPresent(p -> revocations.revoke(p.consentId()));
        Meters.counter(metrics, "cg_consent_events_total", "Consent ledger events recorded, by method and kind",
            "method", record.method(), "event", record.kind()).increment();
        return Future.succeededFuture(new Issued(record, tokens.sign(effective(record)), false));
      }
      if (record.requestKey() != null) {
        // the same key committed meanwhile (a retry racing its first attempt): answer as that request did
        return replay(record.siteId(), record.requestKey(), record.requestHash())
            .compose(existing -> existing.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(concurrent())));
      }
      return Future.failedFuture(concurrent());
    });
  }

  /**
   * The earlier answer to a request sent again with its Idempotency-Key: only for the same body and token
   * (otherwise 422), within {@link #REQUEST_KEY_LIFETIME}, and only while that consent still stands (a
   * superseded or erased one mints no token: 409). Empty when the key is new.
   */
  Future<Optional<Issued>> replay(String siteId, String requestKey, String requestHash) {
    return store.byRequestKey(siteId, requestKey).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      ConsentRecord earlier = found.get();
      if (earlier.requestHash() == null || !earlier.requestHash().equals(requestHash)) {
        return Future.failedFuture(new ApiError(422, "idempotency_key_reused",
            "this Idempotency-Key was used for another request; send a new key"));
      }
      if (earlier.givenAt().plus(REQUEST_KEY_LIFETIME).isBefore(now())) {
        return Future.failedFuture(new ApiError(422, "idempotency_key_expired",
            "this Idempotency-Key is older than 24 hours; send a new key"));
      }
      return revocations.isRevoked(earlier.consentId()).compose(revoked -> revoked
          ? Future.failedFuture(ApiError.conflict("this request was recorded, then replaced by a later choice or "
              + "erased; read the current consent with the latest token"))
          : Future.succeededFuture(Optional.of(new Issued(earlier, tokens.sign(effective(earlier)), true))));
    });
  }

  private static ApiError concurrent() {
    return ApiError.conflict("this consent was changed by another request at the same time; read it and retry");
  }

  /** A recorded event with its token; {@code replayed} when an idempotency key matched an earlier request. */
  public record Issued(ConsentRecord record, String token, boolean replayed) {
  }

  /** A choice made on the preferences page: recorded like one made in the banner. */
  public Future<Issued> choose(Site site, UUID subjectId, String locale, Map<String, Boolean> choices, boolean gpc,
      String ipPrefix, String uaFamily) {
    Map<String, Boolean> all = new HashMap<>();
    for (Purpose p : site.purposes()) {
      all.put(p.id(), p.required() || (Boolean.TRUE.equals(choices.get(p.id())) && !(gpc && p.gpc())));
    }
    return record(new Request(site, subjectId, null, site.policyVersion(), locale, "custom", Map.copyOf(all), gpc,
        null, null, ipPrefix, uaFamily));
  }

  /** The record a verified token stands for. */
  public Future<Optional<ConsentRecord>> record(TokenClaims claims) {
    return store.byId(claims.consentId());
  }

  /** Erases a subject: tombstones its consent ids, deletes its pending forwards and its ledger rows. */
  public Future<Integer> erase(Site site, TokenClaims claims) {
    return store.erase(site.id(), claims.subjectId(), now()).onSuccess(n -> {
      revocations.revoke(claims.consentId());
      Meters.counter(metrics, "cg_subjects_erased_total", "Visitors whose consent records were erased on request")
          .increment();
    });
  }

  /** A form token bound to one consent, so a page of another origin cannot post on the visitor's behalf. */
  public String formToken(UUID consentId) {
    return tokens.formToken(consentId.toString());
  }

  public boolean formTokenValid(UUID consentId, String given) {
    return given != null && java.security.MessageDigest.isEqual(
        formToken(consentId).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        given.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * Checks a token for a site: signature, site, expiry, not withdrawn or replaced, and (unless
   * {@code allowRenewal}) not from before the latest substantial policy version.
   */
  public Future<Verified> verify(String token, Site site, boolean allowRenewal) {
    return verify(token, site, allowRenewal, false, true);
  }

  /** As {@link #verify} for beacons: a refused token leaves no trace, not even in a counter. */
  public Future<TokenClaims> verifyQuietly(String token, Site site) {
    return verify(token, site, false, false, false).map(Verified::claims);
  }

  /**
   * Whose token this is, for recording that subject's next choice: signature, site and revocation are checked
   * (a withdrawn, replaced or erased consent proves nothing); an expired one still proves its subject.
   */
  Future<UUID> subjectOf(String token, Site site) {
    return verify(token, site, true, true, true).map(v -> v.claims().subjectId());
  }

  private Future<Verified> verify(String token, Site site, boolean allowRenewal, boolean allowExpired,
      boolean count) {
    TokenClaims claims;
    try {
      claims = tokens.verify(token);
    } catch (ApiError e) {
      refusedCount(count, "malformed");
      return Future.failedFuture(e);
    }
    if (!claims.siteId().equals(site.id())) {
      refusedCount(count, "site");
      return Future.failedFuture(new ApiError(401, "invalid_token", "the consent token belongs to another site"));
    }
    if (!allowExpired && !clock.instant().isBefore(claims.expiresAt())) {
      refusedCount(count, "expired");
      return Future.failedFuture(new ApiError(401, "token_expired", "the consent expired; ask the visitor again"));
    }
    boolean renew = claims.periodStart().isBefore(site.renewAfter());
    if (renew && !allowRenewal) {
      refusedCount(count, "policy");
      return Future.failedFuture(new ApiError(401, "renewal_required",
          "a substantial policy change requires the visitor's consent again"));
    }
    return revocations.isRevoked(claims.consentId()).compose(revoked -> {
      if (revoked) {
        refusedCount(count, "revoked");
        return Future.failedFuture(new ApiError(401, "token_revoked",
            "this consent was withdrawn or replaced by a later choice"));
      }
      return Future.succeededFuture(new Verified(claims.without(overrides.refused(claims.siteId(),
          claims.subjectId())), renew));
    });
  }

  /**
   * The site a well-signed token names, to look the site up before {@link #verify} checks everything else
   * (expiry, revocation); this alone proves nothing.
   */
  String siteOf(String token) {
    return tokens.verify(token).siteId();
  }

  public Future<List<ConsentRecord>> history(String siteId, UUID subjectId) {
    return store.history(siteId, subjectId);
  }

  private void refusedCount(boolean count, String reason) {
    if (!count) {
      return;
    }
    Meters.counter(metrics, "cg_tokens_refused_total", "Consent tokens refused, by reason", "reason", reason)
        .increment();
  }
}
