package eu.consentgateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stopping drains: a request the gateway accepted before the stop is answered, and its 201 is durable. */
class GracefulShutdownTest {
  @Test
  void requestsInFlightWhenStoppingAreAnsweredAndDurable() {
    TestGateway gw = TestGateway.start(new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
    String site = TestStores.uniqueSite("drain");
    gw.createSite(site);
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gw.port()));
    try {
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        sent.add(client.post("/v1/consents").sendJsonObject(TestGateway.consentBody(site, "reject_all", Map.of())));
      }
      TestGateway.await(Future.join(sent.subList(0, 1)).otherwiseEmpty()); // the first ones are under way
      gw.close();
      TestGateway.await(Future.join(sent).otherwiseEmpty());
      int created = 0;
      for (Future<HttpResponse<Buffer>> f : sent) {
        if (f.succeeded()) {
          assertEquals(201, f.result().statusCode(), "an accepted request is answered, not failed");
          created++;
        }
      }
      assertTrue(created > 0, "some requests were accepted before the stop");
      assertEquals(created, TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ?", site),
          "every 201 given while draining is in the ledger");
    } finally {
      client.close();
      TestGateway.await(vertx.close());
    }
  }
}
