package eu.consentgateway.site;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.ZoneOffset;

/** Append-only trail of operator actions (who, what, on which target); never personal data. */
public final class Audit {
  private static final String INSERT = """
      INSERT INTO ops.audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)
      """;
  private final Pool pool;
  private final Clock clock;

  public Audit(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  public Future<Void> record(Principal actor, String action, String target, JsonObject detail) {
    return record(actor.keyId(), action, target, detail);
  }

  /** {@code actor}: a key id, or a job's name such as {@code job:inactivity}. */
  public Future<Void> record(String actor, String action, String target, JsonObject detail) {
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC), actor, action, target, detail))
        .mapEmpty();
  }
}
