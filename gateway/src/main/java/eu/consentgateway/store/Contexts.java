package eu.consentgateway.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Answers that must reach a caller on its own event loop, whichever loop produced them. */
public final class Contexts {
  private Contexts() {
  }

  /** Runs {@code action} at once when already on {@code context} (or there is none), else queues it there. */
  public static void run(Context context, Runnable action) {
    if (context == null || Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
