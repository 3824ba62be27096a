package eu.consentgateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metrics registry and the rules that keep it bounded: no tag takes a value a caller chooses (HTTP methods
 * outside the standard ones fold into {@code OTHER}), and past {@link #MAX_METERS} distinct meters new ones are
 * dropped and counted, so no stream of odd requests can grow the heap through {@code /metrics}.
 */
public final class Meters {
  /** Far above what the gateway registers (a few hundred), far below what would hurt a 256 MB heap. */
  public static final int MAX_METERS = 3_000;
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
  static final String DENIED = "cg_metrics_meters_denied_total";

  private Meters() {
  }

  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    java.util.concurrent.atomic.AtomicReference<Counter> denied = new java.util.concurrent.atomic.AtomicReference<>();
    Set<Meter.Id> accepted = ConcurrentHashMap.newKeySet();
    registry.config()
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            String method = id.getTag("method");
            // the HTTP method of Vert.x's request meters is whatever token the client sent
            return method == null || !id.getName().startsWith("vertx.http") || METHODS.contains(method) ? id
                : id.replaceTags(io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()).and("method", "OTHER"));
          }
        })
        .meterFilter(new MeterFilter() {
          @Override
          public MeterFilterReply accept(Meter.Id id) {
            if (accepted.contains(id)) {
              return MeterFilterReply.NEUTRAL;
            }
            if (accepted.size() >= MAX_METERS && !id.getName().equals(DENIED)) {
              Counter counter = denied.get();
              if (counter != null) {
                counter.increment();
              }
              return MeterFilterReply.DENY;
            }
            accepted.add(id);
            return MeterFilterReply.NEUTRAL;
          }
        });
    denied.set(Counter.builder(DENIED)
        .description("Meters not registered because the registry reached its cap (a bug or an attack on labels)")
        .register(registry));
    return registry;
  }

  /** A gauge reading {@code value} with its help text. */
  public static <T extends Number> T gauge(MeterRegistry registry, String name, String help, T value) {
    io.micrometer.core.instrument.Gauge.builder(name, value, Number::doubleValue).description(help)
        .register(registry);
    return value;
  }

  /** A counter with its help text (Prometheus shows it as {@code # HELP}); tags as name, value pairs. */
  public static Counter counter(MeterRegistry registry, String name, String help, String... tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  /** A timer (exposed as {@code name_seconds}: count, sum, max) with its help text; tags as name, value pairs. */
  public static Timer timer(MeterRegistry registry, String name, String help, String... tags) {
    return Timer.builder(name).description(help).tags(tags).register(registry);
  }

  /** A distribution summary (count, sum, max) with its help text; tags as name, value pairs. */
  public static DistributionSummary summary(MeterRegistry registry, String name, String help, String... tags) {
    return DistributionSummary.builder(name).description(help).tags(tags).register(registry);
  }
}
