package eu.consentgateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
  @Test
  void aBatchRefusedForOneBadValueIsSplitSoTheOthersCommit() {
    String table = "batch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    TestStores.execute("CREATE TABLE public." + table + " (v text NOT NULL)");
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, TestStores.pg(), Database.Role.GATEWAY, 1, Duration.ofSeconds(5),
          Duration.ofSeconds(2));
      TestStores.execute("GRANT INSERT ON public." + table + " TO cg_gateway");
      // PostgreSQL refuses U+0000 in text with SQLSTATE 22P05 / 22021: the class of a bad value
      BatchWriter<String, Void> writer = new BatchWriter<>("test", 64, 1, null, items -> pool
          .preparedQuery("INSERT INTO public." + table + " SELECT convert_from(decode(x, 'hex'), 'UTF8') "
              + "FROM unnest($1::text[]) AS x").execute(Tuple.of(items.toArray(String[]::new)))
          .map(r -> Collections.<Void>nCopies(items.size(), null)));
      List<Future<Void>> results = new ArrayList<>();
      // submitted while nothing runs yet: they go in one batch
      vertx.runOnContext(v -> {
        for (int i = 0; i < 16; i++) {
          results.add(writer.submit(i == 5 ? "6100" : hex("value-" + i)));
        }
      });
      TestGateway.await(vertx.timer(200).compose(t -> Future.join(results)).recover(e -> Future.succeededFuture()));
      for (int i = 0; i < 16; i++) {
        Future<Void> f = results.get(i);
        if (i == 5) {
          assertTrue(f.failed() && f.cause() instanceof ApiError e && e.status() == 400, String.valueOf(f.cause()));
        } else {
          assertTrue(f.succeeded(), i + ": " + f.cause());
        }
      }
      assertEquals(15, TestStores.count("SELECT count(*) FROM public." + table));
      // and the writer is free again once the halves are done
      Promise<Void> later = Promise.promise();
      vertx.runOnContext(v -> writer.submit(hex("after")).onComplete(later));
      TestGateway.await(later.future(), 5);
      assertEquals(16, TestStores.count("SELECT count(*) FROM public." + table));
    } finally {
      TestGateway.await(vertx.close());
      TestStores.execute("DROP TABLE public." + table);
    }
  }

  @Test
  void eachItemOfABatchFromSeveralEventLoopsIsAnsweredOnItsOwnLoopWithItsOwnResult() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
    try {
      VertxInternal internal = (VertxInternal) vertx;
      Context a = internal.createEventLoopContext();
      Context b = internal.createEventLoopContext();
      Context store = internal.createEventLoopContext(); // where the "database" answers, as a pool connection would
      Promise<Void> gate = Promise.promise();
      List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
      BatchWriter<Integer, Integer> writer = new BatchWriter<>("test", 64, 1, null, items -> {
        batches.add(List.copyOf(items));
        List<Integer> answers = new ArrayList<>();
        items.forEach(i -> answers.add(i * 10));
        Promise<List<Integer>> written = Promise.promise();
        (items.contains(-1) ? gate.future() : Future.<Void>succeededFuture())
            .onComplete(v -> store.runOnContext(x -> written.complete(answers)));
        return written.future();
      });
      // the first write holds the writer; what both loops submit meanwhile goes into one batch, interleaved
      Future<Integer> first = TestGateway.await(submitOn(a, writer, List.of(-1))).get(0);
      List<Future<Integer>> fromA = new ArrayList<>();
      List<Future<Integer>> fromB = new ArrayList<>();
      List<Thread> threadsA = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threadsB = Collections.synchronizedList(new ArrayList<>());
      for (int round = 0; round < 3; round++) {
        fromA.addAll(TestGateway.await(submitOn(a, writer, List.of(round * 4, round * 4 + 1))));
        fromB.addAll(TestGateway.await(submitOn(b, writer, List.of(round * 4 + 2, round * 4 + 3))));
      }
      fromA.forEach(f -> f.onComplete(r -> threadsA.add(Thread.currentThread())));
      fromB.forEach(f -> f.onComplete(r -> threadsB.add(Thread.currentThread())));
      Thread loopA = TestGateway.await(threadOf(a));
      Thread loopB = TestGateway.await(threadOf(b));
      gate.complete();
      TestGateway.await(Future.join(new ArrayList<>(fromA)).compose(x -> Future.join(new ArrayList<>(fromB))));
      assertEquals(-10, TestGateway.await(first));
      for (int round = 0; round < 3; round++) {
        assertEquals(round * 40, fromA.get(2 * round).result());
        assertEquals(round * 40 + 10, fromA.get(2 * round + 1).result());
        assertEquals(round * 40 + 20, fromB.get(2 * round).result());
        assertEquals(round * 40 + 30, fromB.get(2 * round + 1).result());
      }
      // the gated item alone, then all twelve in one batch, in the order they were submitted
      assertEquals(List.of(List.of(-1), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)), batches);
      assertEquals(6, threadsA.size());
      assertEquals(6, threadsB.size());
      assertTrue(threadsA.stream().allMatch(t -> t == loopA), "A's items answered on " + threadsA);
      assertTrue(threadsB.stream().allMatch(t -> t == loopB), "B's items answered on " + threadsB);
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void theNextBatchGoesToTheDatabaseBeforeTheAnsweredBatchIsSettled() {
    Vertx vertx = Vertx.vertx();
    try {
      Context a = ((VertxInternal) vertx).createEventLoopContext();
      Promise<Void> gate = Promise.promise();
      AtomicReference<Future<Integer>> first = new AtomicReference<>();
      List<Boolean> firstSettledWhenNextWent = Collections.synchronizedList(new ArrayList<>());
      BatchWriter<Integer, Integer> writer = new BatchWriter<>("test", 64, 1, null, items -> {
        if (items.contains(-1)) {
          // the answer arrives on the submitting loop itself, where settling is immediate
          Promise<List<Integer>> written = Promise.promise();
          gate.future().onComplete(v -> a.runOnContext(x -> written.complete(List.of(-10))));
          return written.future();
        }
        firstSettledWhenNextWent.add(first.get().isComplete());
        return Future.succeededFuture(items.stream().map(i -> i * 10).toList());
      });
      first.set(TestGateway.await(submitOn(a, writer, List.of(-1))).get(0));
      List<Future<Integer>> next = TestGateway.await(submitOn(a, writer, List.of(1, 2)));
      gate.complete();
      TestGateway.await(Future.join(new ArrayList<>(next)));
      assertEquals(-10, TestGateway.await(first.get()));
      assertEquals(List.of(10, 20), next.stream().map(Future::result).toList());
      assertEquals(List.of(false), firstSettledWhenNextWent,
          "the queued batch was handed to the database before the answered one's items were completed");
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void aLingeringWriterWritesWhatArrivesWithinItsLingerAsOneBatchAndNotBefore() {
    Vertx vertx = Vertx.vertx();
    try {
      Context a = ((VertxInternal) vertx).createEventLoopContext();
      List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
      List<Long> startedAt = Collections.synchronizedList(new ArrayList<>());
      BatchWriter<Integer, Integer> writer = echoing(Duration.ofMillis(400), 64, batches, startedAt);
      List<Future<Integer>> all = new ArrayList<>(TestGateway.await(submitOn(a, writer, List.of(1))));
      // taken once the first item is queued, so the wait measured from here is at most the one it had
      long firstQueued = System.nanoTime();
      // two more items 50 ms apart: inside the first one's linger
      for (int i = 2; i <= 3; i++) {
        TestGateway.await(vertx.timer(50));
        all.addAll(TestGateway.await(submitOn(a, writer, List.of(i))));
      }
      TestGateway.await(Future.join(new ArrayList<>(all)), 5);
      assertEquals(List.of(List.of(1, 2, 3)), batches, "one batch for what arrived within the linger");
      long waitedMs = (startedAt.get(0) - firstQueued) / 1_000_000;
      assertTrue(waitedMs >= 395, "the batch started " + waitedMs
          + " ms after its oldest item was queued, before the linger (400 ms)");
      assertEquals(List.of(1, 2, 3), all.stream().map(Future::result).toList());
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void aLingeringWriterStartsAtOnceWhenEnoughItemsAreQueued() {
    Vertx vertx = Vertx.vertx();
    try {
      Context a = ((VertxInternal) vertx).createEventLoopContext();
      List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
      // a linger of a minute: only "enough" can start these batches within the test's wait
      BatchWriter<Integer, Integer> writer = echoing(Duration.ofMinutes(1), 3, batches,
          Collections.synchronizedList(new ArrayList<>()));
      List<Future<Integer>> first = TestGateway.await(submitOn(a, writer, List.of(1, 2, 3)));
      TestGateway.await(Future.join(new ArrayList<>(first)), 5);
      List<Future<Integer>> two = TestGateway.await(submitOn(a, writer, List.of(4, 5)));
      TestGateway.await(vertx.timer(300));
      assertEquals(List.of(List.of(1, 2, 3)), batches, "three queued items are enough; two wait for the linger");
      assertTrue(two.stream().noneMatch(Future::isComplete));
      TestGateway.await(submitOn(a, writer, List.of(6)));
      TestGateway.await(Future.join(new ArrayList<>(two)), 5);
      assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5, 6)), batches);
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  /** A lingering writer that answers each item with itself, noting each batch and when its write started. */
  private static BatchWriter<Integer, Integer> echoing(Duration linger, int enough, List<List<Integer>> batches,
      List<Long> startedAt) {
    return new BatchWriter<>("test", 64, 1, linger, enough, null, items -> {
      startedAt.add(System.nanoTime());
      batches.add(List.copyOf(items));
      return Future.succeededFuture(items);
    });
  }

  /** Submits {@code items} from {@code context}; the futures, once submitted. */
  private static Future<List<Future<Integer>>> submitOn(Context context, BatchWriter<Integer, Integer> writer,
      List<Integer> items) {
    Promise<List<Future<Integer>>> submitted = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Integer>> futures = new ArrayList<>();
      items.forEach(i -> futures.add(writer.submit(i)));
      submitted.complete(futures);
    });
    return submitted.future();
  }

  private static Future<Thread> threadOf(Context context) {
    Promise<Thread> thread = Promise.promise();
    context.runOnContext(v -> thread.complete(Thread.currentThread()));
    return thread.future();
  }

  private static String hex(String s) {
    return java.util.HexFormat.of().formatHex(s.getBytes());
  }
}
