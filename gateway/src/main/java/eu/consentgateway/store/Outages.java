package eu.consentgateway.store;

import eu.consentgateway.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a store that cannot answer (down, restarting, too slow, out of connections) from everything else, so
 * the caller gets 503 with {@code Retry-After} rather than a 500; logs one line per outage, counts every answer.
 */
public final class Outages {
  private static final Logger LOG = LoggerFactory.getLogger(Outages.class);
  /** An error after this much quiet starts a new outage, which is logged again. */
  private static final long QUIET_MS = 30_000;

  private final MeterRegistry metrics;
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

  /** 503s are counted in {@code registry} as {@code cg_store_unavailable_total{store}}. */
  public Outages(MeterRegistry registry) {
    this.metrics = registry;
  }

  /** The store that could not answer ("postgresql", "redis"), or null when {@code t} is not an outage. */
  public static String store(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof StoreUnavailable) {
        return "postgresql";
      }
      if (c instanceof PgException pg) {
        String s = pg.getSqlState() == null ? "" : pg.getSqlState();
        // connection (08), retryable (40), resources (53), lock not available (55), shutdown or timeout (57);
        // read-only transaction (25006): a write that reached a standby, as while a failover is under way
        return s.startsWith("08") || s.startsWith("40") || s.startsWith("53") || s.startsWith("55")
            || s.startsWith("57") || "25006".equals(s) ? "postgresql" : null;
      }
      if (c instanceof TimeoutException || c instanceof ClosedConnectionException || c instanceof IOException) {
        return "postgresql";
      }
      if (c instanceof VertxException v && v.getMessage() != null
          && (v.getMessage().contains("pool") || v.getMessage().contains("closed") || v.getMessage().contains("onnect"))) {
        return "postgresql";
      }
    }
    return null;
  }

  /** Counts one answer given while {@code store} was unavailable; logs when this starts a new outage. */
  public void seen(String store, Throwable cause) {
    long now = System.currentTimeMillis();
    Long before = lastSeen.put(store, now);
    if (before == null || now - before > QUIET_MS) {
      LOG.warn("store unavailable, answering 503 until it is back [store={}] [reason={}]", store, reason(cause));
    }
    Meters.counter(metrics, "cg_store_unavailable_total", "Requests answered 503 because a store could not answer",
        "store", store).increment();
  }

  private static String reason(Throwable t) {
    String message = t.getMessage();
    String text = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > 200 ? text.substring(0, 200) : text;
  }
}
