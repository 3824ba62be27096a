package eu.consentgateway.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.store.Database;
import eu.consentgateway.store.Migrations;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteRegistryTest {
  @Test
  void callersThatMissTogetherShareOneReadAndEachIsAnsweredOnItsOwnLoop() {
    Migrations.migrate(TestStores.pg());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      String id = TestStores.uniqueSite("registry");
      TestGateway.await(registry(vertx).seed(id, document()));
      // another instance's view: it has never read this site
      SiteRegistry sites = registry(vertx);
      long before = sites.reads();
      VertxInternal internal = (VertxInternal) vertx;
      Context a = internal.createEventLoopContext();
      Context b = internal.createEventLoopContext();
      List<Future<Boolean>> answers = new ArrayList<>();
      Promise<Void> asked = Promise.promise();
      // 50 lookups from each of two loops, all before the first read can answer
      a.runOnContext(v -> {
        answers.addAll(lookups(sites, id, a, 50));
        b.runOnContext(w -> {
          answers.addAll(lookups(sites, id, b, 50));
          asked.complete();
        });
      });
      TestGateway.await(asked.future());
      List<Boolean> onOwnLoop = TestGateway.await(Future.all(new ArrayList<>(answers))).list();
      assertEquals(100, onOwnLoop.size());
      assertTrue(onOwnLoop.stream().allMatch(Boolean::booleanValue), "every caller is answered on its own loop");
      assertEquals(1, sites.reads() - before, "100 callers that missed together read the site once");
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void aCopyOlderThanFreshIsServedWhileOneReadRefreshesItAndAChangeIsSeenAfterwards() {
    Migrations.migrate(TestStores.pg());
    Vertx vertx = Vertx.vertx();
    try {
      SiteRegistry sites = registry(vertx);
      String id = TestStores.uniqueSite("registry");
      TestGateway.await(sites.seed(id, document()));
      assertEquals("Registry shop", name(TestGateway.await(sites.find(id))));
      // another instance changed the site while Redis was down: nothing told this one
      TestStores.execute("UPDATE ops.sites SET config = jsonb_set(config, '{name}', '\"Renamed shop\"') "
          + "WHERE site_id = '" + id + "'");
      TestGateway.await(vertx.timer(SiteRegistry.FRESH.toMillis() + 200));
      long before = sites.reads();
      List<String> stale = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        stale.add(name(TestGateway.await(sites.find(id))));
      }
      assertEquals(List.of("Registry shop"), stale.stream().distinct().toList(),
          "the old copy is served, without waiting, while it is re-read");
      TestGateway.await(vertx.timer(300));
      assertEquals(1, sites.reads() - before, "20 lookups of a stale copy started one read");
      assertEquals("Renamed shop", name(TestGateway.await(sites.find(id))));
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  private static SiteRegistry registry(Vertx vertx) {
    Pool pool = Database.pool(vertx, TestStores.pg(), Database.Role.GATEWAY, 4, Duration.ofSeconds(5),
        Duration.ofSeconds(2));
    RedisBus bus = new RedisBus(vertx, "redis://127.0.0.1:6379", "cg:registry-test:", Duration.ofMillis(500));
    return new SiteRegistry(vertx, pool, bus, Clock.systemUTC());
  }

  private static List<Future<Boolean>> lookups(SiteRegistry sites, String id, Context loop, int n) {
    List<Future<Boolean>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(sites.find(id).map(site -> site.isPresent() && Vertx.currentContext() == loop));
    }
    return out;
  }

  private static String name(Optional<Site> site) {
    return site.orElseThrow().stored().getString("name");
  }

  private static JsonObject document() {
    return new JsonObject().put("name", "Registry shop").put("origins", new JsonArray().add("https://shop.example"))
        .put("policy", new JsonObject().put("version", "2026-11")).put("locales", new JsonArray().add("en"))
        .put("purposes", new JsonArray().add(new JsonObject().put("id", "statistics")));
  }
}
