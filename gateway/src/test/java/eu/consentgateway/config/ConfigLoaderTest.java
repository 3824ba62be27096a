package eu.consentgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void defaultsMatchTheSpecification() {
    GatewayConfig c = ConfigLoader.load(Map.of());
    assertEquals(8080, c.httpPort());
    assertEquals("postgresql://postgres@127.0.0.1:5432/consent_gateway", c.pg().toString());
    assertEquals("redis://127.0.0.1:6379", c.redisUrl());
    assertTrue(c.adminToken().isEmpty(), "admin API closed by default");
    assertTrue(c.tokenSecrets().isEmpty(), "secret generated and persisted on first start");
  }

  @Test
  void theRollupWaitsOnceLessThanOneCoreIsIdleByDefault() {
    assertEquals(50, ConfigLoader.busyCpuDefault(1));
    assertEquals(50, ConfigLoader.busyCpuDefault(2));
    assertEquals(75, ConfigLoader.busyCpuDefault(4));
    assertEquals(88, ConfigLoader.busyCpuDefault(8));
    assertEquals(ConfigLoader.busyCpuDefault(Runtime.getRuntime().availableProcessors()),
        ConfigLoader.load(Map.of()).statsBusyCpuPercent());
    assertEquals(0, ConfigLoader.load(Map.of("CG_STATS_BUSY_CPU_PERCENT", "0")).statsBusyCpuPercent());
    assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of("CG_STATS_BUSY_CPU_PERCENT", "101")));
  }

  @Test
  void environmentWinsOverFileWhichWinsOverDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gateway.properties");
    Files.writeString(file, "CG_HTTP_PORT=9000\nCG_REDIS_URL=redis://10.0.0.1:6380\n");
    GatewayConfig c = ConfigLoader.load(Map.of("CG_CONFIG_FILE", file.toString(), "CG_HTTP_PORT", "9100"));
    assertEquals(9100, c.httpPort());
    assertEquals("redis://10.0.0.1:6380", c.redisUrl());
  }

  @Test
  void invalidValuesStopWithOneLineNamingTheVariable() {
    Map<String, Map<String, String>> cases = Map.ofEntries(
        Map.entry("CG_HTTP_PORT", Map.of("CG_HTTP_PORT", "eighty")),
        Map.entry("CG_PG_URL", Map.of("CG_PG_URL", "mysql://x/y")),
        Map.entry("CG_REDIS_URL", Map.of("CG_REDIS_URL", "localhost:6379")),
        Map.entry("CG_TOKEN_SECRET", Map.of("CG_TOKEN_SECRET", "short")),
        Map.entry("CG_TRUSTED_PROXIES", Map.of("CG_TRUSTED_PROXIES", "10.0.0.0/99")),
        Map.entry("CG_GEOIP_DB", Map.of("CG_GEOIP_DB", "/no/such/file.mmdb")),
        Map.entry("CG_ADMIN_TOKEN", Map.of("CG_ADMIN_TOKEN", "short")),
        Map.entry("CG_PUBLIC_URL", Map.of("CG_PUBLIC_URL", "https://gw.example/path")),
        Map.entry("CG_MANAGEMENT_PORT", Map.of("CG_MANAGEMENT_PORT", "8080")),
        Map.entry("CG_REDIS_PREFIX", Map.of("CG_REDIS_PREFIX", "spaces are not allowed")),
        Map.entry("CG_RATE_COLLECT_PER_MINUTE", Map.of("CG_RATE_COLLECT_PER_MINUTE", "-1")),
        Map.entry("CG_HTTP_PROT", Map.of("CG_HTTP_PROT", "8080")));
    cases.forEach((variable, env) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env));
      assertTrue(e.getMessage().startsWith(variable + ":"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), "one line");
    });
  }

  @Test
  void secretsRotateFirstSigns() {
    GatewayConfig c = ConfigLoader.load(Map.of("CG_TOKEN_SECRET",
        "new-secret-0123456789-0123456789-abc, old-secret-0123456789-0123456789-abc"));
    assertEquals(2, c.tokenSecrets().size());
    assertEquals("new-secret-0123456789-0123456789-abc", c.tokenSecrets().get(0));
  }
}
