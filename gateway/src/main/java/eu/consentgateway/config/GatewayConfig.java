package eu.consentgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Validated, immutable configuration of one gateway process; built only by {@link ConfigLoader}. */
public record GatewayConfig(
    int httpPort,
    int managementPort,
    String publicUrl,
    PgUrl pg,
    String redisUrl,
    String redisPrefix,
    Optional<String> adminToken,
    List<String> tokenSecrets,
    Optional<Path> geoipDb,
    List<Cidr> trustedProxies,
    boolean demo,
    int verticles,
    Duration shutdownGrace,
    int browserBodyLimit,
    int adminBodyLimit,
    int forwardMaxAttempts,
    int terminalRetentionMonths,
    Duration statsRefresh,
    int statsBusyCpuPercent,
    boolean jobs,
    Optional<SmtpUrl> smtp,
    String mailFrom,
    Lifecycle lifecycle,
    Limits limits,
    Timeouts timeouts) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MANAGEMENT_PORT = 9090;
  public static final String DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/consent_gateway";
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  public static final int BROWSER_BODY_LIMIT = 16 * 1024;
  public static final int ADMIN_BODY_LIMIT = 256 * 1024;

  public GatewayConfig {
    tokenSecrets = List.copyOf(tokenSecrets);
    trustedProxies = List.copyOf(trustedProxies);
  }

  /**
   * What an anonymous caller may ask of one instance: requests per minute per client address prefix (IPv4 /24,
   * IPv6 /48; 0 turns a limit off), connections, requests in progress, how long a request may take to arrive, and
   * by when every request outside the operator API is answered (503 if nothing else came first).
   */
  public record Limits(int consentsPerMinute, int noticesPerMinute, int collectPerMinute, int authFailuresPerMinute,
      int maxConnections, int maxInFlight, Duration requestReadTimeout, Duration keepAliveTimeout,
      Duration requestTimeout) {
  }

  /**
   * Account life cycle: inactivity before the invitation to log in (3 years), the grace period before deletion,
   * when reminders go out (days left), and how many accounts one job run may touch.
   */
  public record Lifecycle(java.time.Period inactivity, Duration grace, java.util.List<Integer> remindersDaysLeft,
      int maxPerRun) {
  }

  /** How long the gateway waits on a store before answering 503 (or, for Redis, going on without it). */
  public record Timeouts(Duration pgQuery, Duration pgConnect, Duration redisCommand) {
  }
}
