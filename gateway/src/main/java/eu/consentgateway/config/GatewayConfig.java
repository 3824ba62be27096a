package eu.consentgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Validated, immutable configuration of one gateway process; built only by {@link ConfigLoader}. */
public record GatewayConfig(
    int httpPort,
    PgUrl pg,
    String redisUrl,
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
    int terminalRetentionMonths) {

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/consent_gateway";
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  public static final int BROWSER_BODY_LIMIT = 16 * 1024;
  public static final int ADMIN_BODY_LIMIT = 256 * 1024;

  public GatewayConfig {
    tokenSecrets = List.copyOf(tokenSecrets);
    trustedProxies = List.copyOf(trustedProxies);
  }




}
