package eu.consentgateway.collect;

import eu.consentgateway.site.Site;
import eu.consentgateway.store.RedisBus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The daily salt that turns (site, subject) into a visitor hash, one per day of the site's time zone. It is
 * random, created once for the whole deployment (PostgreSQL decides: the first instance to insert it wins;
 * Redis only caches it), and deleted shortly after its day ends: from then on no one can link that day's hashes
 * back to a subject, and hashes of two days never match. Each instance keeps the current days in memory.
 */
final class VisitorSalt {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Beacons of the day still in flight at midnight are hashed with it; then it goes. */
  static final Duration GRACE = Duration.ofMinutes(10);
  private static final String INSERT = """
      INSERT INTO ops.visitor_salts (zone, day, salt, expires_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (zone, day) DO NOTHING
      """;
  private static final String READ = "SELECT salt FROM ops.visitor_salts WHERE zone = $1 AND day = $2";
  private static final String PURGE = "DELETE FROM ops.visitor_salts WHERE expires_at < $1";

  private final RedisBus redis;
  private final Pool terminal;
  private final Pool gateway;
  private final Clock clock;
  private final Map<String, Salt> known = new ConcurrentHashMap<>();
  private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private record Salt(byte[] value, Instant expiresAt) {
  }

  /** {@code terminal} reads and creates salts; {@code gateway} deletes the expired ones. */
  VisitorSalt(RedisBus redis, Pool terminal, Pool gateway, Clock clock) {
    this.redis = redis;
    this.terminal = terminal;
    this.gateway = gateway;
    this.clock = clock;
  }

  /** The salt of the site's current day. */
  Future<byte[]> today(Site site) {
    Instant now = clock.instant();
    ZoneId zone = site.timeZone();
    LocalDate day = LocalDate.ofInstant(now, zone);
    String id = zone.getId() + ":" + day;
    Salt salt = known.get(id);
    if (salt != null) {
      return Future.succeededFuture(salt.value());
    }
    Instant expires = day.plusDays(1).atStartOfDay(zone).toInstant().plus(GRACE);
    String key = redis.key("salt:" + id);
    return redis.send(Request.cmd(Command.GET).arg(key))
        .map(r -> r == null ? null : Base64.getDecoder().decode(r.toString()))
        .recover(e -> Future.succeededFuture(null))
        .compose(cached -> cached != null ? Future.succeededFuture(cached) : agree(zone, day, expires).onSuccess(s ->
            redis.send(Request.cmd(Command.SET).arg(key).arg(Base64.getEncoder().encodeToString(s)).arg("PX")
                .arg(Math.max(1, Duration.between(now, expires).toMillis()))).onFailure(e -> { /* only a cache */ })))
        .map(value -> {
          known.values().removeIf(s -> s.expiresAt().isBefore(now));
          known.put(id, new Salt(value, expires));
          return value;
        });
  }

  /** Inserts a fresh random salt unless another instance did first, then reads the one that stands. */
  private Future<byte[]> agree(ZoneId zone, LocalDate day, Instant expires) {
    byte[] candidate = new byte[32];
    RANDOM.nextBytes(candidate);
    Tuple key = Tuple.of(zone.getId(), day);
    return terminal.preparedQuery(INSERT).execute(Tuple.of(zone.getId(), day, Buffer.buffer(candidate),
            expires.atOffset(ZoneOffset.UTC)))
        .compose(r -> terminal.preparedQuery(READ).execute(key))
        .map(rows -> rows.iterator().next().getBuffer("salt").getBytes());
  }

  /** Deletes the salts whose day (and grace) is over, everywhere. */
  Future<Integer> purge() {
    Instant now = clock.instant();
    known.values().removeIf(s -> s.expiresAt().isBefore(now));
    return gateway.preparedQuery(PURGE).execute(Tuple.of(now.atOffset(ZoneOffset.UTC))).map(r -> r.rowCount());
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
    return Arrays.copyOf(m.doFinal(), 16);
  }
}
