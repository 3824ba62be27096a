package eu.consentgateway.stats;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.TestGateway;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The machine's CPU use as the rollup job reads it: a spinning core is seen, and 0 % means never busy. */
class MachineLoadTest {
  @Test
  void aSpinningCoreMakesTheMachineBusyAtOnePercentAndZeroPercentIsNeverBusy() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean spin = new AtomicBoolean(true);
    // a volatile read per turn: the loop cannot be optimised away, and it keeps one core busy
    Thread spinner = new Thread(() -> {
      while (spin.get()) {
        Thread.onSpinWait();
      }
    });
    try {
      spinner.start();
      assertTrue(TestGateway.await(new MachineLoad(vertx, 1, Duration.ofMillis(500)).get()),
          "one of the machine's cores spins: more than 1 % in use");
      assertFalse(TestGateway.await(new MachineLoad(vertx, 0, Duration.ofMillis(500)).get()), "0 %: never busy");
    } finally {
      spin.set(false);
      spinner.join();
      TestGateway.await(vertx.close());
    }
  }
}
