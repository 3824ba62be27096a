package eu.consentgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetersTest {
  @Test
  void theRegistryStopsGrowingAtItsCapAndCountsWhatItRefused() {
    PrometheusMeterRegistry registry = Meters.prometheus();
    for (int i = 0; i < Meters.MAX_METERS + 2_000; i++) {
      Counter.builder("cg_test_total").tag("key", "k" + i).register(registry).increment();
    }
    assertTrue(registry.getMeters().size() <= Meters.MAX_METERS + 1, "meters: " + registry.getMeters().size());
    assertTrue(registry.get(Meters.DENIED).counter().count() >= 2_000);
  }

  @Test
  void madeUpHttpMethodsFoldIntoOneValueOnlyOnVertxMeters() {
    PrometheusMeterRegistry registry = Meters.prometheus();
    for (String method : new String[] {"FOO", "BAR", "GET"}) {
      Counter.builder("vertx.http.server.requests").tag("method", method).register(registry).increment();
      Counter.builder("cg_consent_events_total").tag("method", method).register(registry).increment();
    }
    assertEquals(2.0, registry.get("vertx.http.server.requests").tag("method", "OTHER").counter().count());
    assertEquals(1.0, registry.get("vertx.http.server.requests").tag("method", "GET").counter().count());
    assertEquals(1.0, registry.get("cg_consent_events_total").tag("method", "FOO").counter().count(),
        "the gateway's own method label (consent methods) is not an HTTP method");
  }
}
