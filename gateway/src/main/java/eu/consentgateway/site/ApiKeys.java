package eu.consentgateway.site;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bearer;
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
 * is compared in constant time and never stored.
 */
public final class ApiKeys {
  private static final String INSERT = """
      INSERT INTO ops.api_keys (key_hash, key_id, role, sites, created_at) VALUES ($1, $2, $3, $4, $5)
      """;
  private static final String FIND = """
      SELECT key_id, role, sites FROM ops.api_keys WHERE key_hash = $1 AND revoked_at IS NULL
      """;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final Optional<byte[]> adminHash;
  private final Cache<String, Optional<Principal>> cache = Caffeine.newBuilder()
      .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).build();

  public ApiKeys(Pool pool, Optional<String> adminToken) {
    this.pool = pool;
    this.adminHash = adminToken.map(ApiKeys::sha256);
  }

  /** The principal behind the request's bearer key, or a 401. */
  public Future<Principal> authenticate(RoutingContext ctx) {
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
