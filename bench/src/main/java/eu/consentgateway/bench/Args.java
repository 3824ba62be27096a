package eu.consentgateway.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Command-line options as {@code --name value} or {@code --name=value}; unknown names are refused. */
final class Args {
  /** A refused command line; the message says which option and why. */
  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message);
    }
  }

  private final Map<String, String> values = new HashMap<>();

  private Args() {
  }

  /** Parses {@code args}; {@code flags} take no value, {@code options} take one. */
  static Args parse(String[] args, Set<String> options, Set<String> flags) {
    Args out = new Args();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new Invalid("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        out.values.put(name, value == null ? "true" : value);
      } else if (options.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new Invalid("--" + name + " needs a value");
          }
          value = args[++i];
        }
        out.values.put(name, value);
      } else {
        Set<String> known = new LinkedHashSet<>(options);
        known.addAll(flags);
        throw new Invalid("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
      }
    }
    return out;
  }

  String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      throw new Invalid("--" + name + " is required");
    }
    return v;
  }

  boolean flag(String name) {
    return "true".equalsIgnoreCase(values.get(name));
  }

  int integer(String name, int def, int min, int max) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new Invalid("--" + name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Invalid("--" + name + " is not an integer: " + v);
    }
  }

  double decimal(String name, double def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new Invalid("--" + name + " is not a number: " + v);
    }
  }

  /** {@code 20s}, {@code 500ms}, {@code 2m} or plain seconds; at most one hour, so every run is bounded. */
  Duration duration(String name, Duration def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    String t = v.trim().toLowerCase();
    Duration d;
    try {
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
      }
    } catch (NumberFormatException e) {
      throw new Invalid("--" + name + " is not a duration (20s, 500ms, 2m): " + v);
    }
    if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new Invalid("--" + name + " must be between 0 and 1h");
    }
    return d;
  }

  /** A comma-separated list of HTTP status codes. */
  Set<Integer> statuses(String name, Set<Integer> def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    Set<Integer> out = new LinkedHashSet<>();
    for (String part : v.split(",")) {
      int code;
      try {
        code = Integer.parseInt(part.trim());
      } catch (NumberFormatException e) {
        code = -1;
      }
      if (code < 100 || code > 599) {
        throw new Invalid("--" + name + ": not an HTTP status: " + part);
      }
      out.add(code);
    }
    return Set.copyOf(out);
  }
}
