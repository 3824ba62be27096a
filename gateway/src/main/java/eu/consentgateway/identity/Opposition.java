package eu.consentgateway.identity;

import eu.consentgateway.consent.Overrides;
import eu.consentgateway.store.RedisBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Opposition to prospecting (clause 3), as the rest of the gateway sees it: the subjects linked to an opposing
 * account, held in memory (asked on every beacon), reloaded from PostgreSQL every 30 seconds, at once on this
 * instance after a change and on the others through Redis.
 */
final class Opposition implements Overrides {
  static final String PURPOSE = "prospecting";
  static final String CHANNEL = "opposition";
  private static final Set<String> REFUSED = Set.of(PURPOSE);

  private final AccountStore store;
  private final RedisBus bus;
  private volatile Map<String, Set<UUID>> opposed = Map.of();

  Opposition(AccountStore store, RedisBus bus) {
    this.store = store;
    this.bus = bus;
    bus.listen(CHANNEL, message -> reload());
    bus.onResubscribe(this::reload);
  }

  long start(Vertx vertx) {
    reload();
    return vertx.setPeriodic(30_000, id -> reload());
  }

  @Override
  public Set<String> refused(String siteId, UUID subjectId) {
    Set<UUID> subjects = opposed.get(siteId);
    return subjects != null && subjects.contains(subjectId) ? REFUSED : Set.of();
  }

  /** After a flag or a link changed: this instance now, the others through Redis. */
  Future<Void> changed() {
    bus.publish(CHANNEL, "1").onFailure(e -> { /* the others reload within 30 s */ });
    return reload();
  }

  Future<Void> reload() {
    return store.opposed().map(rows -> {
      Map<String, Set<UUID>> next = new HashMap<>();
      for (String[] r : rows) {
        next.computeIfAbsent(r[0], k -> new HashSet<>()).add(UUID.fromString(r[1]));
      }
      opposed = Map.copyOf(next);
      return (Void) null;
    }).recover(e -> Future.succeededFuture()); // keep what is known until PostgreSQL answers
  }
}
