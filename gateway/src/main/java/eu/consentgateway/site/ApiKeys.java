package eu.consentgateway.site;

import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bearer;
import eu.consentgateway.limit.RateLimiter;
import eu.consentgateway.terminal.ClientAddress;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API keys: random, shown once, kept only as SHA-256. The bootstrap admin key from {@code CG_ADMIN_TOKEN}
 * is compared in constant time and never stored. Guessing is slowed per client prefix: each wrong key is
 * answered later the more wrong keys came from there lately, and past the limit every attempt gets 429.
 */
public final class ApiKeys {
  private static final String INSERT = """
      INSERT INTO ops.api_keys (key_hash, key_id, role, sites, created_at) VALUES ($1, $2, $3, $4, $5)
      """;
  private static final String FIND = """
      SELECT key_id, role, sites FROM ops.api_keys WHERE key_hash = $1 AND revoked_at IS NULL
      """;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The slowest a wrong key is answered. */
  static final long MAX_BACKOFF_MS = 2_000;
  private final Vertx vertx;
  private final Pool pool;
  private final Optional<byte[]> adminHash;
  private final RateLimiter limiter;
  private final ClientAddress addresses;
  private final Cache<String, Optional<Principal>> cache = Caches.builder()
      .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).build();

  public ApiKeys(Vertx vertx, Pool pool, Optional<String> adminToken, RateLimiter limiter,
      ClientAddress addresses) {
    this.vertx = vertx;
    this.pool = pool;
    this.adminHash = adminToken.map(ApiKeys::sha256);
    this.limiter = limiter;
    this.addresses = addresses;
  }

  /** The principal behind the request's bearer key, or a 401 (slowed down after earlier failures), or a 429. */
  public Future<Principal> authenticate(RoutingContext ctx) {
    String client = addresses.prefixOf(ctx);
    RateLimiter.Decision blocked = limiter.check(RateLimiter.Bucket.AUTH_FAILURES, client);
    if (!blocked.allowed()) {
      return Future.failedFuture(ApiError.tooManyRequests(blocked.retryAfterSeconds()));
    }
    return lookup(ctx).recover(e -> {
      if (!(e instanceof ApiError error) || error.status() != 401) {
        return Future.failedFuture(e);
      }
      long recent = limiter.recent(RateLimiter.Bucket.AUTH_FAILURES, client);
      limiter.record(RateLimiter.Bucket.AUTH_FAILURES, client);
      long delay = Math.min(MAX_BACKOFF_MS, 100L * recent);
      if (delay == 0) {
        return Future.failedFuture(e);
      }
      io.vertx.core.Promise<Principal> later = io.vertx.core.Promise.promise();
      vertx.setTimer(delay, id -> later.fail(e));
      return later.future();
    });
  }

  private Future<Principal> lookup(RoutingContext ctx) {
    String key = Bearer.of(ctx);
    if (key == null) {
      return Future.failedFuture(ApiError.unauthorized("an API key is required (Authorization: Bearer <key>)"));
    }
    byte[] hash = sha256(key);
    if (adminHash.isPresent() && MessageDigest.isEqual(adminHash.get(), hash)) {
      return Future.succeededFuture(new Principal("bootstrap", Principal.Role.ADMIN, Set.of(), true));
    }
    String cacheKey = HexFormat.of().formatHex(hash);
    Optional<Principal> cached = cache.getIfPresent(cacheKey);
    Future<Optional<Principal>> found = cached != null ? Future.succeededFuture(cached)
        : pool.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
          Optional<Principal> p = rows.size() == 0 ? Optional.empty() : Optional.of(principal(rows.iterator().next()));
          cache.put(cacheKey, p);
          return p;
        });
    return found.compose(p -> p.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiError.unauthorized("unknown or revoked API key"))));
  }

  /** Creates a key and returns it; the only time it exists in clear. */
  Future<String> create(Principal.Role role, List<String> sites, Instant now) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String prefix = switch (role) {
      case ADMIN -> "cga_";
      case MARKETING -> "cgm_";
      case SITE -> "cgs_";
    };
    String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String keyId = HexFormat.of().formatHex(sha256(token), 0, 8);
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(Buffer.buffer(sha256(token)), keyId, role.name().toLowerCase(), sites.toArray(String[]::new),
            now.atOffset(ZoneOffset.UTC)))
        .map(r -> token);
  }


  private static Principal principal(Row row) {
    Set<String> sites = new HashSet<>(List.of(row.getArrayOfStrings("sites")));
    Principal.Role role = Principal.Role.valueOf(row.getString("role").toUpperCase());
    return new Principal(row.getString("key_id"), role, Set.copyOf(sites), role == Principal.Role.ADMIN && sites.isEmpty());
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
