package eu.consentgateway;

import eu.consentgateway.config.ConfigException;
import eu.consentgateway.config.ConfigLoader;
import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.store.StoreUnavailable;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Starts one gateway process from the environment; SIGTERM drains requests before the process exits. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) throws Exception {
    GatewayConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      System.err.println("consent-gateway: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(config, Clock.systemUTC()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof StoreUnavailable || e instanceof StoreUnavailable) {
        System.err.println("consent-gateway: " + cause.getMessage());
      } else {
        System.err.println("consent-gateway: start-up failed: " + cause);
      }
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gateway.close().toCompletionStage().toCompletableFuture().get(config.shutdownGrace().toSeconds() + 5,
            TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      stopped.countDown();
    }, "cg-shutdown"));
    stopped.await();
  }
}
