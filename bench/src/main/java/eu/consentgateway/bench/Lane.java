package eu.consentgateway.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * One event loop's share of the connections. Each connection runs a closed loop: send, wait for the whole
 * answer, send the next; so at most one request is outstanding per connection (keep-alive, no pipelining).
 */
final class Lane extends VerticleBase {
  private static final long RETRY_PAUSE_MS = 10;

  private final Plan plan;
  private final Scenario scenario;
  private final int connections;
  private final Tally tally;
  private final CountDownLatch finished;
  private final Random rnd;
  private HttpClientAgent client;

  Lane(Plan plan, Scenario scenario, int connections, Tally tally, CountDownLatch finished, long seed) {
    this.plan = plan;
    this.scenario = scenario;
    this.connections = connections;
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
        new PoolOptions().setHttp1MaxSize(connections));
    for (int i = 0; i < connections; i++) {
      send();
    }
    return Future.succeededFuture();
  }

  private void send() {
    long start = System.nanoTime();
    if (start - plan.endNanos() >= 0 || plan.budget().getAndDecrement() <= 0) {
      finished.countDown();
      return;
    }
    boolean measured = start - plan.measureFromNanos() >= 0;
    Scenario.Outgoing out = scenario.next(rnd);
    RequestOptions options = new RequestOptions()
        .setMethod(plan.method())
        .setHost(plan.target().host())
        .setPort(plan.target().port())
        .setURI(plan.target().path())
        .setHeaders(out.headers())
        .setIdleTimeout(plan.timeoutMs());
    client.request(options)
        .compose(req -> out.body().length() == 0 ? req.send() : req.send(out.body()))
        .compose(resp -> resp.body().map(body -> answered(resp, body, out, start, measured)))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            send();
          } else {
            tally.failed(ar.cause(), measured, System.nanoTime());
            // a refused or broken connection fails fast: pause so a dead server is not hammered in a tight loop
            vertx.setTimer(RETRY_PAUSE_MS, t -> send());
          }
        });
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
