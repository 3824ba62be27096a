package eu.consentgateway.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One event loop's share of the connections. Closed loop: each connection sends, waits for the whole answer,
 * sends the next. Open loop (a paced plan): this lane's share of the rate falls due at even intervals and each
 * due request takes a free connection or waits for one (at most 8 per connection wait; beyond that it counts
 * as a failure). Either way at most one request is outstanding per connection (keep-alive, no pipelining).
 */
final class Lane extends VerticleBase {
  private static final long RETRY_PAUSE_MS = 10;

  private final Plan plan;
  private final Scenario scenario;
  private final int connections;
  private final Tally tally;
  private final CountDownLatch finished;
  private final Random rnd;
  private final double rate;
  private HttpClientAgent client;
  private long outstanding;
  private boolean pacing;

  Lane(Plan plan, Scenario scenario, int connections, double rate, Tally tally, CountDownLatch finished,
      long seed) {
    this.plan = plan;
    this.scenario = scenario;
    this.connections = connections;
    this.rate = rate;
    this.tally = tally;
    this.finished = finished;
    this.rnd = new Random(seed);
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions()
        .setKeepAlive(true)
        .setPipelining(false)
        .setConnectTimeout((int) plan.timeoutMs()),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(8 * connections));
    if (plan.paced()) {
      // every connection opened first (one request each, in the warm-up): opening them while pacing stalls
      List<Future<Void>> opened = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        opened.add(exchange(scenario.next(rnd), System.nanoTime(), false));
      }
      Future.join(opened).onComplete(ar -> pace());
      return Future.succeededFuture();
    }
    for (int i = 0; i < connections; i++) {
      send();
    }
    return Future.succeededFuture();
  }

  /**
   * Open loop: a pacing thread (an event-loop timer fires only every few milliseconds here, which would add
   * that much to every latency) wakes every quarter of a millisecond and hands what fell due to this lane's
   * event loop in one task; each request is timed from its due time, so a late hand-over counts against us.
   */
  private void pace() {
    if (rate <= 0) {
      done(); // more lanes than the rate needs
      return;
    }
    Context context = vertx.getOrCreateContext();
    ConcurrentLinkedQueue<Long> due = new ConcurrentLinkedQueue<>();
    pacing = true;
    Thread pacer = new Thread(() -> {
      double interval = 1e9 / rate;
      long first = System.nanoTime();
      long sent = 0;
      boolean last = false;
      while (!last) {
        long now = System.nanoTime();
        int fell = 0;
        while (true) {
          long next = first + (long) (sent * interval);
          if (next - now > 0) {
            break;
          }
          if (next - plan.endNanos() >= 0 || plan.budget().getAndDecrement() <= 0) {
            last = true;
            break;
          }
          due.add(next);
          sent++;
          fell++;
        }
        if (fell > 0 || last) {
          boolean end = last;
          context.runOnContext(v -> sendFallen(due, end));
        }
        LockSupport.parkNanos(250_000L);
      }
    }, "pacer-" + context.hashCode());
    pacer.setDaemon(true);
    pacer.start();
  }

  private void sendFallen(ConcurrentLinkedQueue<Long> due, boolean end) {
    for (Long at = due.poll(); at != null; at = due.poll()) {
      outstanding++;
      sendDue(at);
    }
    if (end) {
      pacing = false;
      if (outstanding == 0) {
        done();
      }
    }
  }

  private void sendDue(long due) {
    boolean measured = due - plan.measureFromNanos() >= 0;
    Scenario.Outgoing out = scenario.next(rnd);
    exchange(out, due, measured).onComplete(ar -> {
      if (ar.failed()) {
        tally.failed(ar.cause(), measured, System.nanoTime());
      }
      outstanding--;
      if (!pacing && outstanding == 0) {
        done();
      }
    });
  }

  private void done() {
    for (int i = 0; i < connections; i++) {
      finished.countDown();
    }
  }

  private void send() {
    long start = System.nanoTime();
    if (start - plan.endNanos() >= 0 || plan.budget().getAndDecrement() <= 0) {
      finished.countDown();
      return;
    }
    boolean measured = start - plan.measureFromNanos() >= 0;
    Scenario.Outgoing out = scenario.next(rnd);
    exchange(out, start, measured).onComplete(ar -> {
      if (ar.succeeded()) {
        send();
      } else {
        tally.failed(ar.cause(), measured, System.nanoTime());
        // a refused or broken connection fails fast: pause so a dead server is not hammered in a tight loop
        vertx.setTimer(RETRY_PAUSE_MS, t -> send());
      }
    });
  }

  /** One request and its whole answer, tallied from {@code start} (sent, or due) to the answer's last byte. */
  private Future<Void> exchange(Scenario.Outgoing out, long start, boolean measured) {
    RequestOptions options = new RequestOptions()
        .setMethod(plan.method())
        .setHost(plan.target().host())
        .setPort(plan.target().port())
        .setURI(plan.target().path())
        .setHeaders(out.headers())
        .setIdleTimeout(plan.timeoutMs());
    return client.request(options)
        .compose(req -> out.body().length() == 0 ? req.send() : req.send(out.body()))
        .compose(resp -> resp.body().map(body -> answered(resp, body, out, start, measured)));
  }

  private Void answered(HttpClientResponse resp, Buffer body, Scenario.Outgoing out, long start, boolean measured) {
    int status = resp.statusCode();
    tally.answered(status, measured, start, System.nanoTime());
    if (plan.recording()) {
      String id = scenario.recorded(out, status, body);
      if (id != null) {
        tally.recorded.add(id);
      }
    }
    return null;
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
