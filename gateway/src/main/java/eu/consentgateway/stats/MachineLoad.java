package eu.consentgateway.stats;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Whether the machine is busy enough that background work which can wait should: the share of CPU in use on the
 * whole machine (or container, where the JVM sees its limits) over a short window, as the JVM reports it. Asked
 * only when there is such work, so nothing samples in between.
 */
final class MachineLoad implements Supplier<Future<Boolean>> {
  private final Vertx vertx;
  private final double threshold;
  private final Duration window;

  /** {@code percent}: the CPU use from which the machine counts as busy; 0 means it never does. */
  MachineLoad(Vertx vertx, int percent, Duration window) {
    this.vertx = vertx;
    this.threshold = percent / 100.0;
    this.window = window;
  }

  @Override
  public Future<Boolean> get() {
    if (threshold <= 0
        || !(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
      return Future.succeededFuture(false);
    }
    // the JVM measures from its previous reading: the first one opens the window, the second closes it
    os.getCpuLoad();
    Promise<Boolean> busy = Promise.promise();
    vertx.setTimer(window.toMillis(), id -> {
      double load = os.getCpuLoad();
      // negative: the platform cannot tell, so nothing waits
      busy.complete(load >= threshold);
    });
    return busy.future();
  }
}
