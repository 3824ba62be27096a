package eu.consentgateway.store;

import eu.consentgateway.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one runner of the gateway's periodic jobs (rollups, retention, lifecycle): each run holds a PostgreSQL
 * advisory lock named after the job, so with several instances exactly one runs it at a time and the others skip
 * that round; runs, outcomes, durations and the time of the last success are metrics; a run may be a dry run,
 * which reports what it would do and changes nothing.
 */
public final class Jobs {
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
  private static final String LOCK = "SELECT pg_try_advisory_lock(hashtext($1)) AS locked";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext($1))";

  /** What a run did: counts by name (rows, days, deletions…) and, for a dry run, what it would have done. */
  public record Report(Map<String, Long> counts, List<String> would) {
    public static Report of(Map<String, Long> counts) {
      return new Report(Map.copyOf(counts), List.of());
    }
  }

  /** A job: given whether this is a dry run, does (or describes) its work. */
  public interface Job {
    Future<Report> run(boolean dryRun);
  }

  private final Vertx vertx;
  private final Pool lockPool;
  private final MeterRegistry metrics;
  private final List<Long> timers = new ArrayList<>();
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  /** {@code lockPool} holds the advisory locks (one connection per running job). */
  public Jobs(Vertx vertx, Pool lockPool, MeterRegistry metrics) {
    this.vertx = vertx;
    this.lockPool = lockPool;
    this.metrics = metrics;
  }

  /** Runs {@code job} every {@code every}, first after {@code first}. */
  public void schedule(String name, Duration first, Duration every, Job job) {
    AtomicLong last = lastSuccess.computeIfAbsent(name, n -> new AtomicLong(System.currentTimeMillis()));
    io.micrometer.core.instrument.Gauge.builder("cg_job_seconds_since_success", last,
            l -> (System.currentTimeMillis() - l.get()) / 1000.0)
        .description("Seconds since the job last ran to completion here, or was left to the instance holding it")
        .tag("job", name).register(metrics);
    timers.add(vertx.setTimer(first.toMillis(), id -> {
      runNow(name, job, false);
      if (!stopped) {
        timers.add(vertx.setPeriodic(every.toMillis(), t -> runNow(name, job, false)));
      }
    }));
  }

  /**
   * One run under the job's lock; completes with the report, or with null when another instance holds the lock.
   */
  public Future<Report> runNow(String name, Job job, boolean dryRun) {
    Timer.Sample sample = Timer.start(metrics);
    return lockPool.withConnection(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(name)).compose(rows -> {
      if (!rows.iterator().next().getBoolean("locked")) {
        count(name, "skipped");
        lastSuccess.computeIfAbsent(name, n -> new AtomicLong()).set(System.currentTimeMillis());
        return Future.succeededFuture((Report) null);
      }
      Future<Report> ran;
      try {
        ran = job.run(dryRun);
      } catch (RuntimeException e) {
        ran = Future.failedFuture(e);
      }
      return ran.transform(ar -> conn.preparedQuery(UNLOCK).execute(Tuple.of(name))
          .transform(u -> ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause())));
    })).onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        sample.stop(Timer.builder("cg_job_duration_seconds").description("Time a job run took").tag("job", name)
            .register(metrics));
        count(name, dryRun ? "dry_run" : "ok");
        lastSuccess.computeIfAbsent(name, n -> new AtomicLong()).set(System.currentTimeMillis());
        ar.result().counts().forEach((what, n) -> Meters.counter(metrics, "cg_job_items_total",
            "What job runs did (rows written, days rolled up, deletions, messages), by job and kind", "job", name,
            "kind", what).increment(dryRun ? 0 : n));
      } else if (ar.failed()) {
        count(name, "failed");
        LOG.warn("job failed [job={}] [reason={}]", name, ar.cause().toString());
      }
    });
  }

  private void count(String name, String outcome) {
    Meters.counter(metrics, "cg_job_runs_total", "Job runs by job and outcome (ok, dry_run, skipped, failed)",
        "job", name, "outcome", outcome).increment();
  }

  public void stop() {
    stopped = true;
    timers.forEach(vertx::cancelTimer);
  }

}
