package eu.consentgateway.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.BeaconLoad;
import eu.consentgateway.support.GatewayProcess;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The gateway process itself dies or is stopped under load: every 202 it gave is in the database. */
class ProcessFaultTest {
  record Visitor(String site, String token) {
  }

  static Visitor visitor(WebClient client, GatewayProcess gw) {
    String site = TestStores.uniqueSite("process");
    var put = TestGateway.await(client.put(gw.port(), "127.0.0.1", "/v1/admin/sites/" + site)
        .putHeader("Authorization", "Bearer " + TestStores.ADMIN_TOKEN)
        .sendJsonObject(TestGateway.siteDocument("https://shop.example")));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    var consent = TestGateway.await(client.post(gw.port(), "127.0.0.1", "/v1/consents")
        .sendJsonObject(TestGateway.consentBody(site, "custom", Map.of("statistics", true))));
    assertEquals(201, consent.statusCode(), consent.bodyAsString());
    return new Visitor(site, consent.bodyAsJsonObject().getString("token"));
  }

  @Test
  void killDashNineUnderLoadLosesNoAcknowledgedBeacon() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (GatewayProcess gw = GatewayProcess.start(Map.of())) {
      Visitor v = visitor(WebClient.create(vertx), gw);
      try (BeaconLoad load = BeaconLoad.start(gw.port(), v.site(), v.token(), 16)) {
        Thread.sleep(3_000);
        gw.kill();
        load.stop();
        assertTrue(load.count(202) > 100, load.statuses().toString());
        List<UUID> lost = BeaconLoad.missing(load.accepted(), TestStores.eventIds(TestStores.pg(), v.site()));
        assertEquals(List.of(), lost, "acknowledged with 202 before kill -9 but not stored");
      }
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void sigtermTurnsReadinessOffBeforeTheListenerClosesAndDrainsWhatWasAccepted() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (GatewayProcess gw = GatewayProcess.start(Map.of("CG_SHUTDOWN_GRACE_SECONDS", "4"))) {
      WebClient client = WebClient.create(vertx);
      Visitor v = visitor(client, gw);
      try (BeaconLoad load = BeaconLoad.start(gw.port(), v.site(), v.token(), 8)) {
        Thread.sleep(1_500);
        long start = System.nanoTime();
        new ProcessBuilder("kill", "-TERM", String.valueOf(gw.pid())).start().waitFor();
        boolean sawDraining = false;
        while ((System.nanoTime() - start) / 1_000_000 < 1_500) {
          try {
            var ready = TestGateway.await(client.get(gw.port(), "127.0.0.1", "/health/ready").timeout(500).send());
            if (ready.statusCode() == 503) {
              assertEquals("DRAINING", ready.bodyAsJsonObject().getString("status"));
              sawDraining = true;
              break;
            }
          } catch (IllegalStateException refused) {
            break; // the listener closed before readiness said so: that is the failure below
          }
          Thread.sleep(50);
        }
        assertTrue(sawDraining, "readiness must turn 503 while the listener still accepts connections");
        assertEquals(143, gw.terminate(Duration.ofSeconds(20)), "exit on SIGTERM after the drain:\n" + gw.output());
        load.stop();
        List<UUID> lost = BeaconLoad.missing(load.accepted(), TestStores.eventIds(TestStores.pg(), v.site()));
        assertEquals(List.of(), lost, "acknowledged during the drain but not stored");
        assertTrue(load.count(202) > 50, load.statuses().toString());
      }
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}
