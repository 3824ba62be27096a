package eu.consentgateway.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Whether something listens on a loopback port, and waiting (bounded) until it does or no longer does. */
public final class Ports {
  private Ports() {
  }

  public static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls until {@code port} is listening ({@code open}) or closed; false when {@code within} passed first. */
  public static boolean await(int port, boolean open, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      if (listening(port) == open) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
