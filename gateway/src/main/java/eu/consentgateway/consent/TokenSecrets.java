package eu.consentgateway.consent;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/**
 * The token signing secrets: from {@code CG_TOKEN_SECRET} when set, otherwise one generated on the first
 * start and kept in {@code ops.settings}, so every instance sharing the database signs alike.
 */
public final class TokenSecrets {
  private static final String INSERT = """
      INSERT INTO ops.settings (name, value, created_at) VALUES ('token_secret', $1, $2)
      ON CONFLICT (name) DO NOTHING
      """;
  private static final String READ = "SELECT value FROM ops.settings WHERE name = 'token_secret'";

  private TokenSecrets() {
  }

  public static Future<List<String>> resolve(List<String> configured, Pool pool) {
    if (!configured.isEmpty()) {
      return Future.succeededFuture(configured);
    }
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    return pool.preparedQuery(INSERT).execute(Tuple.of(generated, Instant.now().atOffset(ZoneOffset.UTC)))
        .compose(r -> pool.query(READ).execute())
        .map(rows -> List.of(rows.iterator().next().getString("value")));
  }
}
