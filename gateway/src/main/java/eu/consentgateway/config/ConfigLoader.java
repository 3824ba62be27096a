package eu.consentgateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Builds {@link GatewayConfig} from environment variables, then an optional properties file named by
 * {@code CG_CONFIG_FILE} (same keys), then defaults; every value is checked here and nowhere else.
 */
public final class ConfigLoader {

  static final Set<String> KNOWN = Set.of("CG_HTTP_PORT", "CG_MANAGEMENT_PORT", "CG_PUBLIC_URL", "CG_PG_URL",
      "CG_REDIS_URL", "CG_REDIS_PREFIX", "CG_ADMIN_TOKEN", "CG_TOKEN_SECRET", "CG_GEOIP_DB", "CG_TRUSTED_PROXIES",
      "CG_DEMO", "CG_VERTICLES", "CG_SHUTDOWN_GRACE_SECONDS", "CG_CONFIG_FILE", "CG_LOG_LEVEL",
      "CG_FORWARD_MAX_ATTEMPTS", "CG_TERMINAL_RETENTION_MONTHS", "CG_RATE_CONSENTS_PER_MINUTE",
      "CG_RATE_NOTICES_PER_MINUTE", "CG_RATE_COLLECT_PER_MINUTE", "CG_RATE_AUTH_FAILURES_PER_MINUTE",
      "CG_MAX_CONNECTIONS", "CG_MAX_IN_FLIGHT", "CG_REQUEST_READ_TIMEOUT_SECONDS", "CG_KEEP_ALIVE_SECONDS", "CG_REQUEST_TIMEOUT_SECONDS",
      "CG_PG_QUERY_TIMEOUT_MS", "CG_PG_CONNECT_TIMEOUT_MS", "CG_REDIS_TIMEOUT_MS", "CG_STATS_REFRESH_MINUTES",
      "CG_STATS_BUSY_CPU_PERCENT", "CG_JOBS",
      "CG_SMTP_URL", "CG_MAIL_FROM", "CG_INACTIVITY_YEARS", "CG_INACTIVITY_GRACE_DAYS", "CG_INACTIVITY_REMINDER_DAYS",
      "CG_LIFECYCLE_MAX_PER_RUN");

  private static final java.util.regex.Pattern REDIS_PREFIX = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private ConfigLoader() {
  }

  public static GatewayConfig fromEnvironment() {
    return load(System.getenv());
  }

  public static GatewayConfig load(Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    String file = env.get("CG_CONFIG_FILE");
    if (file != null && !file.isBlank()) {
      values.putAll(readFile(Path.of(file)));
    }
    env.forEach((k, v) -> {
      if (k.startsWith("CG_")) {
        if (!KNOWN.contains(k)) {
          throw new ConfigException(k, "unknown configuration variable (known: " + String.join(", ",
              KNOWN.stream().sorted().toList()) + ")");
        }
        values.put(k, v);
      }
    });
    return build(values);
  }

  private static Map<String, String> readFile(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigException("CG_CONFIG_FILE", "cannot read " + path);
    }
    Map<String, String> out = new HashMap<>();
    for (String key : props.stringPropertyNames()) {
      if (!KNOWN.contains(key) || key.equals("CG_CONFIG_FILE")) {
        throw new ConfigException(key, "unknown configuration key in " + path);
      }
      out.put(key, props.getProperty(key));
    }
    return out;
  }

  private static GatewayConfig build(Map<String, String> v) {
    int port = integer(v, "CG_HTTP_PORT", GatewayConfig.DEFAULT_PORT, 0, 65535);
    int managementPort = integer(v, "CG_MANAGEMENT_PORT", GatewayConfig.DEFAULT_MANAGEMENT_PORT, 0, 65535);
    if (managementPort == port && port != 0) {
      throw new ConfigException("CG_MANAGEMENT_PORT", "must differ from CG_HTTP_PORT (" + port + ")");
    }
    String publicUrl = PublicUrl.parse("CG_PUBLIC_URL", optional(v, "CG_PUBLIC_URL").orElse("http://localhost:" + port));
    PgUrl pg = PgUrl.parse("CG_PG_URL", v.getOrDefault("CG_PG_URL", GatewayConfig.DEFAULT_PG_URL));
    String redis = v.getOrDefault("CG_REDIS_URL", GatewayConfig.DEFAULT_REDIS_URL);
    if (redis.startsWith("redis-sentinel://")) {
      if (!redis.matches("redis-sentinel://([^@/]*@)?[^@/,]+(,[^@/,]+)*/[A-Za-z0-9._-]+")) {
        throw new ConfigException("CG_REDIS_URL",
            "a Sentinel URL is redis-sentinel://[:password@]host:26379[,host:26379…]/master-name");
      }
    } else if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
      throw new ConfigException("CG_REDIS_URL", "must start with redis://, rediss:// or redis-sentinel://");
    }
    String redisPrefix = optional(v, "CG_REDIS_PREFIX").orElse("cg:" + pg.database() + ":");
    if (!REDIS_PREFIX.matcher(redisPrefix).matches()) {
      throw new ConfigException("CG_REDIS_PREFIX", "must match " + REDIS_PREFIX.pattern());
    }
    Optional<String> admin = optional(v, "CG_ADMIN_TOKEN");
    if (admin.isPresent() && admin.get().length() < 16) {
      throw new ConfigException("CG_ADMIN_TOKEN", "must be at least 16 characters");
    }
    List<String> secrets = new ArrayList<>();
    optional(v, "CG_TOKEN_SECRET").ifPresent(s -> Arrays.stream(s.split(",")).map(String::trim).forEach(part -> {
      if (part.length() < 32) {
        throw new ConfigException("CG_TOKEN_SECRET", "each secret must be at least 32 characters");
      }
      secrets.add(part);
    }));
    Optional<Path> geoip = optional(v, "CG_GEOIP_DB").map(Path::of);
    if (geoip.isPresent() && !Files.isReadable(geoip.get())) {
      throw new ConfigException("CG_GEOIP_DB", "file not readable: " + geoip.get());
    }
    List<Cidr> proxies = new ArrayList<>();
    optional(v, "CG_TRUSTED_PROXIES").ifPresent(s -> {
      for (String part : s.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          proxies.add(Cidr.parse(part));
        } catch (RuntimeException e) {
          throw new ConfigException("CG_TRUSTED_PROXIES", "not a CIDR: " + part.trim());
        }
      }
    });
    boolean demo = bool(v, "CG_DEMO");
    int verticles = integer(v, "CG_VERTICLES", Runtime.getRuntime().availableProcessors(), 1, 256);
    int grace = integer(v, "CG_SHUTDOWN_GRACE_SECONDS", 10, 0, 600);
    int attempts = integer(v, "CG_FORWARD_MAX_ATTEMPTS", 8, 1, 100);
    int retention = integer(v, "CG_TERMINAL_RETENTION_MONTHS", 25, 1, 120);
    GatewayConfig.Limits limits = new GatewayConfig.Limits(
        integer(v, "CG_RATE_CONSENTS_PER_MINUTE", 300, 0, 10_000_000),
        integer(v, "CG_RATE_NOTICES_PER_MINUTE", 1_200, 0, 10_000_000),
        integer(v, "CG_RATE_COLLECT_PER_MINUTE", 6_000, 0, 10_000_000),
        integer(v, "CG_RATE_AUTH_FAILURES_PER_MINUTE", 20, 0, 10_000_000),
        integer(v, "CG_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
        integer(v, "CG_MAX_IN_FLIGHT", 2_048, 1, 1_000_000),
        Duration.ofSeconds(integer(v, "CG_REQUEST_READ_TIMEOUT_SECONDS", 10, 1, 600)),
        Duration.ofSeconds(integer(v, "CG_KEEP_ALIVE_SECONDS", 30, 1, 3600)),
        Duration.ofSeconds(integer(v, "CG_REQUEST_TIMEOUT_SECONDS", 5, 1, 600)));
    GatewayConfig.Timeouts timeouts = new GatewayConfig.Timeouts(
        Duration.ofMillis(integer(v, "CG_PG_QUERY_TIMEOUT_MS", 2_000, 50, 600_000)),
        Duration.ofMillis(integer(v, "CG_PG_CONNECT_TIMEOUT_MS", 2_000, 50, 600_000)),
        Duration.ofMillis(integer(v, "CG_REDIS_TIMEOUT_MS", 250, 10, 600_000)));
    return new GatewayConfig(port, managementPort, publicUrl, pg, redis, redisPrefix, admin, secrets, geoip, proxies,
        demo, verticles, Duration.ofSeconds(grace), GatewayConfig.BROWSER_BODY_LIMIT, GatewayConfig.ADMIN_BODY_LIMIT,
        attempts, retention, Duration.ofMinutes(integer(v, "CG_STATS_REFRESH_MINUTES", 60, 1, 1440)),
        integer(v, "CG_STATS_BUSY_CPU_PERCENT", busyCpuDefault(Runtime.getRuntime().availableProcessors()), 0, 100),
        bool(v, "CG_JOBS", true), optional(v, "CG_SMTP_URL").map(u -> SmtpUrl.parse("CG_SMTP_URL", u)), mailFrom(v),
        lifecycle(v), limits, timeouts);
  }

  /**
   * A rebuild of today takes one core: the machine counts as busy once less than one core is left idle, and at
   * half its CPU at least (so from 50 % on 2 cores, 75 % on 4, 88 % on 8).
   */
  static int busyCpuDefault(int cores) {
    return Math.max(50, (int) Math.round(100.0 - 100.0 / cores));
  }

  private static Optional<String> optional(Map<String, String> v, String key) {
    return Optional.ofNullable(v.get(key)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static int integer(Map<String, String> v, String key, int def, int min, int max) {
    Optional<String> text = optional(v, key);
    if (text.isEmpty()) {
      return def;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value < min || value > max) {
        throw new ConfigException(key, "must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "not an integer: " + text.get());
    }
  }

  private static String mailFrom(Map<String, String> v) {
    String from = optional(v, "CG_MAIL_FROM").orElse("Consent Gateway <no-reply@localhost>");
    if (!from.matches("[^\\r\\n]{3,200}") || !from.contains("@")) {
      throw new ConfigException("CG_MAIL_FROM", "must be an address such as Shop <privacy@shop.example>");
    }
    return from;
  }

  private static GatewayConfig.Lifecycle lifecycle(Map<String, String> v) {
    int years = integer(v, "CG_INACTIVITY_YEARS", 3, 1, 10);
    int grace = integer(v, "CG_INACTIVITY_GRACE_DAYS", 30, 1, 365);
    List<Integer> reminders = new ArrayList<>();
    for (String part : optional(v, "CG_INACTIVITY_REMINDER_DAYS").orElse("15,3").split(",")) {
      try {
        int days = Integer.parseInt(part.trim());
        if (days < 1 || days >= grace) {
          throw new NumberFormatException();
        }
        reminders.add(days);
      } catch (NumberFormatException e) {
        throw new ConfigException("CG_INACTIVITY_REMINDER_DAYS", "days left before deletion, each from 1 to "
            + (grace - 1) + ", comma-separated");
      }
    }
    return new GatewayConfig.Lifecycle(java.time.Period.ofYears(years), Duration.ofDays(grace),
        List.copyOf(reminders), integer(v, "CG_LIFECYCLE_MAX_PER_RUN", 500, 1, 1_000_000));
  }

  private static boolean bool(Map<String, String> v, String key, boolean def) {
    return optional(v, key).isEmpty() ? def : bool(v, key);
  }

  private static boolean bool(Map<String, String> v, String key) {
    String text = optional(v, key).orElse("false");
    return switch (text.toLowerCase()) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigException(key, "must be true or false");
    };
  }
}
