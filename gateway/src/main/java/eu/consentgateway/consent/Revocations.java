package eu.consentgateway.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import eu.consentgateway.store.Caches;
import eu.consentgateway.store.RedisBus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which consent ids no longer stand (withdrawn or replaced by a later choice). PostgreSQL is the truth: a
 * consent is revoked once a later event names it in {@code supersedes}, or once its subject was erased. Each instance keeps what it learned
 * in memory; revocations reach every instance through Redis pub/sub within milliseconds, and while that
 * subscription is down no "still valid" answer is reused, so every check goes to PostgreSQL.
 */
final class Revocations {
  static final String CHANNEL = "revoked";
  private static final String IS_SUPERSEDED = """
      SELECT 1 FROM consent.events WHERE supersedes = $1
      UNION ALL SELECT 1 FROM consent.erasures WHERE consent_id = $1
      """;

  private final Pool pool;
  private final RedisBus bus;
  private final Cache<UUID, Boolean> revoked = Caches.builder().maximumSize(200_000).build();
  /**
   * How long a "still valid" answer is reused, 45 to 75 s, drawn for each answer: tokens first checked together
   * (a page's beacons, a load test's thousand visitors) are then checked again spread over half a minute, not
   * all in the same second.
   */
  static final Duration STANDING_MIN = Duration.ofSeconds(45);
  static final Duration STANDING_MAX = Duration.ofSeconds(75);
  private final Cache<UUID, Boolean> standing = Caches.builder().maximumSize(200_000)
      .expireAfter(Expiry.<UUID, Boolean>writing((id, stands) -> Duration.ofNanos(
          ThreadLocalRandom.current().nextLong(STANDING_MIN.toNanos(), STANDING_MAX.toNanos() + 1))))
      .build();

  /** When the "still valid" answer for {@code consentId} stops being reused, if there is one (for tests). */
  java.util.Optional<Duration> standingFor(UUID consentId) {
    return standing.policy().expireVariably().flatMap(p -> p.getExpiresAfter(consentId));
  }

  Revocations(Pool pool, RedisBus bus) {
    this.pool = pool;
    this.bus = bus;
    bus.listen(CHANNEL, message -> {
      try {
        learn(UUID.fromString(message));
      } catch (IllegalArgumentException ignored) {
        // not one of ours
      }
    });
    // messages may have been missed while disconnected: forget every "still valid" answer
    bus.onResubscribe(standing::invalidateAll);
  }

  Future<Boolean> isRevoked(UUID consentId) {
    if (revoked.getIfPresent(consentId) != null) {
      return Future.succeededFuture(true);
    }
    if (bus.subscribed() && standing.getIfPresent(consentId) != null) {
      return Future.succeededFuture(false);
    }
    return pool.preparedQuery(IS_SUPERSEDED).execute(Tuple.of(consentId)).map(rows -> {
      if (rows.size() > 0) {
        learn(consentId);
        return true;
      }
      if (revoked.getIfPresent(consentId) == null) {
        standing.put(consentId, Boolean.TRUE);
      }
      return false;
    });
  }

  /** Called after the superseding event committed: this instance at once, the others through Redis. */
  void revoke(UUID consentId) {
    learn(consentId);
    bus.publish(CHANNEL, consentId.toString()).onFailure(e -> { /* others fall back to PostgreSQL */ });
  }

  private void learn(UUID consentId) {
    revoked.put(consentId, Boolean.TRUE);
    standing.invalidate(consentId);
  }
}
