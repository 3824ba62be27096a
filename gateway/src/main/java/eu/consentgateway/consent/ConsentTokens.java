package eu.consentgateway.consent;

import eu.consentgateway.http.ApiError;
import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact signed consent tokens: {@code v1.<kid>.<base64url payload>.<base64url HMAC-SHA256>}. The first
 * secret signs; every secret verifies, so keys rotate by prepending a new one to {@code CG_TOKEN_SECRET}.
 * Signature and shape only: expiry, site and revocation are checked by {@link Consents}.
 */
public final class ConsentTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder D64 = Base64.getUrlDecoder();

  private final String signingKid;
  private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
  private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(LinkedHashMap::new);

  public ConsentTokens(List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one token secret is required");
    }
    for (String secret : secrets) {
      keys.put(kid(secret), new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }
    this.signingKid = kid(secrets.get(0));
  }

  static String kid(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String sign(TokenClaims claims) {
    JsonObject payload = new JsonObject()
        .put("site", claims.siteId())
        .put("sub", claims.subjectId().toString())
        .put("cid", claims.consentId().toString())
        .put("p", new JsonArray(new ArrayList<>(new TreeSet<>(claims.granted()))))
        .put("exp", claims.expiresAt().getEpochSecond())
        .put("pv", claims.policyVersion())
        .put("ps", claims.periodStart().getEpochSecond());
    String head = "v1." + signingKid + "." + B64.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
    return head + "." + B64.encodeToString(mac(signingKid).doFinal(head.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Tokens already verified, keyed by the whole token (a tampered copy never matches): a beacon stream repeats
   * the same token, and the HMAC, base64 and JSON work is then done once. Bounded to keep the heap small.
   */
  private final Cache<String, TokenClaims> verified = Caches.builder().maximumSize(20_000)
      .expireAfterAccess(Duration.ofMinutes(10)).build();

  /** The claims of a well-signed token; anything else is a 401 that says the token was refused. */
  public TokenClaims verify(String token) {
    TokenClaims known = token == null ? null : verified.getIfPresent(token);
    if (known != null) {
      return known;
    }
    TokenClaims claims = verifyUncached(token);
    verified.put(token, claims);
    return claims;
  }

  private TokenClaims verifyUncached(String token) {
    if (token == null || token.length() > 2048) {
      throw refused();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 4 || !"v1".equals(parts[0]) || !keys.containsKey(parts[1])) {
      throw refused();
    }
    String head = parts[0] + "." + parts[1] + "." + parts[2];
    byte[] expected = mac(parts[1]).doFinal(head.getBytes(StandardCharsets.US_ASCII));
    byte[] given = canonical(parts[3]);
    byte[] body = canonical(parts[2]);
    if (!MessageDigest.isEqual(expected, given)) {
      throw refused();
    }
    try {
      JsonObject payload = new JsonObject(new String(body, StandardCharsets.UTF_8));
      Set<String> granted = new HashSet<>();
      payload.getJsonArray("p").forEach(o -> granted.add((String) o));
      return new TokenClaims(payload.getString("site"), UUID.fromString(payload.getString("sub")),
          UUID.fromString(payload.getString("cid")), Set.copyOf(granted),
          Instant.ofEpochSecond(payload.getLong("exp")), payload.getString("pv"),
          Instant.ofEpochSecond(payload.getLong("ps")));
    } catch (RuntimeException e) {
      throw refused(); // signed by us but unreadable: a bug elsewhere, still not the caller's 500
    }
  }

  /**
   * Decodes unpadded base64url written the one way this class writes it: padding, other alphabets and different
   * unused low bits in the last character all decode to the same bytes, and are refused, so a token has exactly
   * one accepted spelling.
   */
  private static byte[] canonical(String part) {
    byte[] bytes;
    try {
      bytes = D64.decode(part);
    } catch (IllegalArgumentException e) {
      throw refused();
    }
    if (!B64.encodeToString(bytes).equals(part)) {
      throw refused();
    }
    return bytes;
  }

  /** An HMAC under the signing key, domain-separated from consent tokens, for form anti-forgery tokens. */
  public String formToken(String data) {
    byte[] mac = mac(signingKid).doFinal(("form:" + data).getBytes(StandardCharsets.UTF_8));
    return B64.encodeToString(mac);
  }

  private Mac mac(String kid) {
    return macs.get().computeIfAbsent(kid, k -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(keys.get(k));
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static ApiError refused() {
    return new ApiError(401, "invalid_token", "the consent token is malformed, forged or signed with an unknown key");
  }
}
