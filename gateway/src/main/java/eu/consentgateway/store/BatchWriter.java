package eu.consentgateway.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit: items submitted while a write is in flight are written together by the next one, so a
 * loaded gateway commits hundreds of rows per transaction and an idle one writes each row at once. A writer
 * may also linger: a batch then starts once its oldest item has waited the linger or {@code enough} items are
 * queued, whichever comes first (when a write takes longer than the linger, nothing waits longer than it
 * would without). PostgreSQL spends about as much on one commit as on 15-20 inserted rows, so a linger of a
 * millisecond or two halves what it spends per row when the gateway is busy but not saturated.
 * A submitted item's future completes only after its transaction committed (or failed), on the Vert.x
 * context that submitted it, so one writer can serve every event loop and batch across all of them.
 *
 * @param <T> what is written
 * @param <R> what each item's caller gets back, in the same order as the items
 */
public final class BatchWriter<T, R> {
  private final String name;
  private final Function<List<T>, Future<List<R>>> write;
  private final int maxBatch;
  private final int maxInFlight;
  private final long lingerNanos;
  private final int enough;
  private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
  private int inFlight;
  private boolean lingering;

  private record Pending<T, R>(T item, Promise<R> promise, Context context, long queuedAt) {
  }

  private final WriteHealth health;
  static final long RETRY_DELAY_MS = 250;

  /**
   * {@code name} is this writer's label in the metrics; {@code health} hears of every write's start and outcome
   * (readiness reads it, and times the writes); may be null.
   */
  public BatchWriter(String name, int maxBatch, int maxInFlight, WriteHealth health,
      Function<List<T>, Future<List<R>>> write) {
    this(name, maxBatch, maxInFlight, java.time.Duration.ZERO, maxBatch, health, write);
  }

  /**
   * A writer that lingers: a batch starts once its oldest item has waited {@code linger}, or as soon as
   * {@code enough} items are queued.
   */
  public BatchWriter(String name, int maxBatch, int maxInFlight, java.time.Duration linger, int enough,
      WriteHealth health, Function<List<T>, Future<List<R>>> write) {
    this.name = name;
    this.write = write;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.lingerNanos = linger.toNanos();
    this.enough = Math.max(1, Math.min(enough, maxBatch));
    this.health = health;
  }

  /** Items waiting for a write to start (not those being written). */
  public synchronized int queued() {
    return queue.size();
  }

  public Future<R> submit(T item) {
    Promise<R> promise = Promise.promise();
    synchronized (this) {
      queue.add(new Pending<>(item, promise, Vertx.currentContext(), lingerNanos > 0 ? System.nanoTime() : 0));
    }
    drain();
    return promise.future();
  }


  private void drain() {
    while (true) {
      List<Pending<T, R>> batch;
      synchronized (this) {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
          return;
        }
        long wait = lingerNanos == 0 || queue.size() >= enough ? 0
            : queue.peek().queuedAt() + lingerNanos - System.nanoTime();
        Context here = Vertx.currentContext();
        if (wait > 0 && here != null) {
          // one timer at a time, due when the oldest item has waited the linger (later items are younger)
          if (!lingering) {
            lingering = true;
            here.owner().setTimer((wait + 999_999) / 1_000_000, id -> {
              synchronized (this) {
                lingering = false;
              }
              drain();
            });
          }
          return;
        }
        batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
        while (!queue.isEmpty() && batch.size() < maxBatch) {
          batch.add(queue.poll());
        }
        inFlight++;
      }
      // the next batch starts as soon as PostgreSQL has answered this one, before its answers are written: the
      // event loop writes them while PostgreSQL works on the next one instead of PostgreSQL waiting for them
      AtomicBoolean released = new AtomicBoolean();
      Runnable release = () -> {
        if (released.compareAndSet(false, true)) {
          synchronized (this) {
            inFlight--;
          }
          drain();
        }
      };
      write(batch, false, release).onComplete(ar -> release.run());
    }
  }

  private static final Runnable NOTHING = () -> { };

  /**
   * Writes a batch and settles its items; {@code written} runs once its outcome is known, just before they are
   * settled (not for a batch split in halves: the returned future's completion stands for it). A batch refused
   * for a data error (SQLSTATE class 22: one item's value) is split in halves and each written again, so the
   * valid items still commit and only the offending one fails.
   */
  private Future<Void> write(List<Pending<T, R>> batch, boolean retried, Runnable written) {
    List<T> items = new ArrayList<>(batch.size());
    for (Pending<T, R> p : batch) {
      items.add(p.item());
    }
    Future<List<R>> result;
    Object token = new Object();
    if (health != null) {
      health.started(token);
    }
    try {
      result = write.apply(items);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.transform(ar -> {
      if (health != null) {
        health.finished(name, token, items.size(), ar.cause());
      }
      if (ar.failed() && !retried && Outages.store(ar.cause()) != null && !(ar.cause() instanceof
          java.util.concurrent.TimeoutException)) {
        // the connection broke, perhaps during the commit: write again once (writes are idempotent: PostgreSQL
        // keeps one row per key, and tells a row written by the first attempt from a new one)
        Promise<Void> again = Promise.promise();
        Vertx v = Vertx.currentContext() == null ? null : Vertx.currentContext().owner();
        if (v == null) {
          return write(batch, true, written);
        }
        v.setTimer(RETRY_DELAY_MS, id -> write(batch, true, written).onComplete(again));
        return again.future();
      }
      if (ar.failed() && batch.size() > 1 && SqlErrors.dataError(ar.cause())) {
        int half = batch.size() / 2;
        // the halves settle themselves; the writer is released once both are done (drain's fallback)
        return Future.join(write(batch.subList(0, half), retried, NOTHING),
            write(batch.subList(half, batch.size()), retried, NOTHING)).mapEmpty();
      }
      written.run();
      settle(batch, ar.succeeded() ? ar.result() : null, ar.failed() ? SqlErrors.translate(ar.cause()) : null);
      return Future.succeededFuture();
    });
  }

  /**
   * Completes each item on the context that submitted it, hopping once per context rather than once per item
   * (a batch holds the items of a few event loops; its answer arrives on one of them).
   */
  private static <T, R> void settle(List<Pending<T, R>> batch, List<R> results, Throwable cause) {
    Map<Context, List<Integer>> byContext = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      byContext.computeIfAbsent(batch.get(i).context(), c -> new ArrayList<>()).add(i);
    }
    byContext.forEach((context, indexes) -> Contexts.run(context, () -> complete(batch, indexes, results, cause)));
  }

  private static <T, R> void complete(List<Pending<T, R>> batch, List<Integer> indexes, List<R> results,
      Throwable cause) {
    for (int i : indexes) {
      Promise<R> promise = batch.get(i).promise();
      if (results == null) {
        promise.fail(cause);
      } else {
        promise.complete(results.get(i));
      }
    }
  }
}
