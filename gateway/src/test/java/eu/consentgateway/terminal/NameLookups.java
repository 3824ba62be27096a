package eu.consentgateway.terminal;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.Permission;
import java.util.function.Supplier;

/**
 * Catches host-name lookups: the JDK asks the security manager {@code checkConnect(host, -1)} before it resolves a
 * name, and never for an address literal. A permissive manager records that call on the calling thread; it is
 * installed only while an address fuzz test runs (Java 17 still allows installing one at run time).
 */
@SuppressWarnings("removal")
final class NameLookups {
  private static final ThreadLocal<String> LOOKED_UP = new ThreadLocal<>();
  private static final SecurityManager TRAP = new SecurityManager() {
    @Override
    public void checkPermission(Permission perm) {
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
    }

    @Override
    public void checkConnect(String host, int port) {
      if (port == -1) {
        LOOKED_UP.set(host);
      }
    }
  };

  private NameLookups() {
  }

  static void install() {
    try {
      System.setSecurityManager(TRAP);
    } catch (UnsupportedOperationException e) {
      fail("name lookups cannot be trapped on this JVM: run the tests with -Djava.security.manager=allow");
    }
  }

  static void uninstall() {
    if (System.getSecurityManager() == TRAP) {
      System.setSecurityManager(null);
    }
  }

  /** The call's result; fails when it made the JDK resolve a host name. */
  static <T> T none(String input, Supplier<T> call) {
    LOOKED_UP.remove();
    try {
      return call.get();
    } finally {
      String host = LOOKED_UP.get();
      LOOKED_UP.remove();
      if (host != null) {
        fail("resolved the host name '" + host + "' while reading " + printable(input));
      }
    }
  }

  static String printable(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '"' ? Character.toString(c)
        : String.format("\\u{%x}", c)));
    return out.append('"').toString();
  }
}
