package eu.consentgateway.collect;

import eu.consentgateway.store.RedisBus;
import io.vertx.core.Future;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The daily salt that turns (site, subject) into a visitor hash. It is shared by every instance through
 * Redis, which keeps nothing on disk, and expires shortly after its day ends: once gone, no one can link
 * a day's hashes back to a subject, and hashes of two days never match.
 */
final class VisitorSalt {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String KEY_PREFIX = "cg:salt:";

  private final RedisBus redis;
  private final Clock clock;
  private volatile LocalDate day;
  private volatile byte[] salt;
  private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  VisitorSalt(RedisBus redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /** Today's salt: from memory, else agreed through Redis (SET NX), else a local one when Redis is down. */
  Future<byte[]> today() {
    LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (now.equals(day) && salt != null) {
      return Future.succeededFuture(salt);
    }
    byte[] candidate = new byte[32];
    RANDOM.nextBytes(candidate);
    String key = KEY_PREFIX + now;
    long ttl = secondsLeft(now) + 600;
    return redis.api().set(List.of(key, Base64.getEncoder().encodeToString(candidate), "NX", "EX", Long.toString(ttl)))
        .compose(r -> redis.api().get(key))
        .map(r -> r == null ? candidate : Base64.getDecoder().decode(r.toString()))
        .recover(e -> Future.succeededFuture(candidate))
        .map(agreed -> {
          day = now;
          salt = agreed;
          return agreed;
        });
  }

  private long secondsLeft(LocalDate today) {
    Instant end = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return Math.max(1, end.getEpochSecond() - clock.instant().getEpochSecond());
  }

  byte[] hash(byte[] salt, String siteId, UUID subjectId) {
    Mac m = mac.get();
    try {
      m.init(new SecretKeySpec(salt, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
    m.update(siteId.getBytes(StandardCharsets.UTF_8));
    m.update((byte) 0);
    m.update(subjectId.toString().getBytes(StandardCharsets.US_ASCII));
    byte[] full = m.doFinal();
    return java.util.Arrays.copyOf(full, 16);
  }
}
