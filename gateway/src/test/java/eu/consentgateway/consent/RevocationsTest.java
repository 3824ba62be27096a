package eu.consentgateway.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.store.Database;
import eu.consentgateway.store.Migrations;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RevocationsTest {
  @Test
  void answersCheckedTogetherAreReusedForSpreadOutTimesSoTheyAreNotCheckedAgainTogether() {
    Migrations.migrate(TestStores.pg());
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, TestStores.pg(), Database.Role.GATEWAY, 4, Duration.ofSeconds(5),
          Duration.ofSeconds(2));
      Revocations revocations = new Revocations(pool,
          new RedisBus(vertx, "redis://127.0.0.1:6379", "cg:revocations-test:", Duration.ofMillis(500)));
      List<UUID> ids = new ArrayList<>();
      List<Future<Boolean>> checks = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        UUID id = UUID.randomUUID();
        ids.add(id);
        checks.add(revocations.isRevoked(id));
      }
      List<Boolean> revoked = TestGateway.await(Future.all(new ArrayList<>(checks))).list();
      assertTrue(revoked.stream().noneMatch(Boolean::booleanValue), "ids nobody revoked still stand");
      List<Long> seconds = ids.stream().map(id -> revocations.standingFor(id).orElseThrow().toSeconds()).sorted()
          .toList();
      assertEquals(400, seconds.size());
      long first = seconds.get(0);
      long last = seconds.get(seconds.size() - 1);
      // what is left of each drawn time: at most a few seconds of the test have passed since it was drawn
      assertTrue(first >= Revocations.STANDING_MIN.toSeconds() - 3 && last <= Revocations.STANDING_MAX.toSeconds(),
          first + "–" + last + " s");
      assertTrue(last - first >= 20, "400 answers given together expire within " + (last - first) + " s of each other");
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}
