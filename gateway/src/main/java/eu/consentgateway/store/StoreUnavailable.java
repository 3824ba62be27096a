package eu.consentgateway.store;

/** PostgreSQL or Redis cannot be reached; at start-up this stops the process with a line saying how to start it. */
public final class StoreUnavailable extends RuntimeException {
  public StoreUnavailable(String message) {
    super(message);
  }
}
