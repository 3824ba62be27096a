package eu.consentgateway.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MmdbWriter;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.Receiver;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A destination whose address stops geolocating in the EU is paused, then resumes when it is back. */
class EuPauseTest {
  static void place(Path db, String country, boolean eu, long mtimeSeconds) throws Exception {
    Path tmp = Files.createTempFile(db.getParent(), "geo", ".tmp");
    new MmdbWriter().add("127.0.0.0/24", MmdbWriter.city(country, eu, "X", "Somewhere")).write(tmp);
    Files.setLastModifiedTime(tmp, FileTime.from(Instant.ofEpochSecond(mtimeSeconds)));
    Files.move(tmp, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void await(MutableClock clock, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 25_000_000_000L;
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached in 25 s");
      clock.advance(Duration.ofSeconds(5));
      Thread.sleep(100);
    }
  }

  @Test
  void destinationMovingOutsideTheEuIsPausedNotDeliveredTo() throws Exception {
    Path dir = Files.createTempDirectory("cg-pause");
    Path db = dir.resolve("geo.mmdb");
    place(db, "FR", true, 1_700_000_000L);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    try (Receiver receiver = new Receiver("127.0.0.1");
        TestGateway gw = TestGateway.start(TestStores.config(Map.of("CG_GEOIP_DB", db.toString())), clock)) {
      String site = TestStores.uniqueSite("pause");
      JsonObject doc = TestGateway.siteDocument("https://shop.example").put("destinations", new JsonArray().add(
          new JsonObject().put("id", "hook").put("type", "webhook").put("region", "FR")
              .put("url", "http://127.0.0.1:" + receiver.port() + "/" + site)
              .put("purposes", new JsonArray().add("statistics"))));
      assertEquals(200, gw.putJson("/v1/admin/sites/" + site, doc, TestGateway.admin()).statusCode());
      String token = gw.consent(TestGateway.consentBody(site, "custom", Map.of("statistics", true))).getString("token");
      Runnable collect = () -> assertEquals(202, gw.send(HttpMethod.POST, "/v1/collect", Map.of("Content-Type",
          "text/plain"), new JsonObject().put("siteId", site).put("token", token).put("type", "pageview")
          .put("url", "https://shop.example/").put("eventId", UUID.randomUUID().toString()).toBuffer()).statusCode());
      BooleanSupplier paused = () -> gw.get("/v1/admin/sites/" + site + "/destinations", TestGateway.admin())
          .bodyAsJsonObject().getJsonArray("destinations").getJsonObject(0).getBoolean("paused");

      collect.run();
      await(clock, () -> receiver.accepted().size() == 1);

      place(db, "US", false, 1_700_000_100L); // DNS or GeoIP moved the destination to the United States
      Thread.sleep(6_000); // the database is re-read every 5 s
      collect.run();
      await(clock, paused);
      assertEquals(1, receiver.accepted().size(), "nothing delivered outside the EU");
      assertEquals(1, TestStores.count("SELECT count(*) FROM ops.outbox WHERE site_id = ? AND status = 'pending'",
          site), "the event waits, it is not dropped");

      place(db, "FR", true, 1_700_000_200L);
      Thread.sleep(6_000);
      await(clock, () -> receiver.accepted().size() == 2);
      assertEquals(false, paused.getAsBoolean());
    }
  }
}
