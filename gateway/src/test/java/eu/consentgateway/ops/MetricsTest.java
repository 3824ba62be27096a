package eu.consentgateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exposition stays bounded whatever callers send, and is valid Prometheus text with help for every series. */
class MetricsTest {
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static Set<String> series(String text) {
    Set<String> out = new HashSet<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        out.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return out;
  }

  @Test
  void thousandsOfMadeUpMethodsAndPathsAddNoSeries() {
    // one of each kind first, so the series they legitimately add (method OTHER, 501, 404) exist
    gw.send(HttpMethod.valueOf("WARMUP"), "/x", Map.of(), null);
    gw.get("/no/such/path", Map.of());
    Set<String> before = series(gw.metrics());
    for (int i = 0; i < 2_000; i++) {
      var r = gw.send(HttpMethod.valueOf("M" + Integer.toString(i, 36).toUpperCase()), "/p/" + i, Map.of(), null);
      assertEquals(501, r.statusCode());
      assertEquals(404, gw.get("/no/" + UUID.randomUUID(), Map.of()).statusCode());
    }
    Set<String> after = series(gw.metrics());
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    // gauges of the JVM come and go (buffer pools, GC); requests must add nothing
    added.removeIf(s -> s.startsWith("jvm_") || s.startsWith("process_") || s.startsWith("system_"));
    assertEquals(Set.of(), added);
    assertFalse(gw.metrics().contains("method=\"M1\""), "no caller-chosen method is a label value");
  }

  @Test
  void everyGatewaySeriesHasHelpTextAndNoLabelIsARandomId() {
    String site = TestStores.uniqueSite("metrics");
    gw.createSite(site);
    gw.consent(TestGateway.consentBody(site, "reject_all", Map.of()));
    String text = gw.metrics();
    Matcher help = Pattern.compile("(?m)^# HELP (cg_\\S+) (.*)$").matcher(text);
    int helped = 0;
    while (help.find()) {
      assertFalse(help.group(2).isBlank(), "no help text for " + help.group(1));
      helped++;
    }
    assertTrue(helped >= 5, text);
    assertFalse(Pattern.compile("=\"[0-9a-f]{8}-[0-9a-f]{4}-").matcher(text).find(), "a UUID as a label value");
    assertTrue(text.contains("pool_name=\"cg-redis\""), "the Redis pool has a stable name");
    assertTrue(text.contains("vertx_sql_processing_pending{client_namespace=\"cg-cg_gateway\"}"),
        "the PostgreSQL pools report under their own name");
    assertTrue(text.contains("vertx_redis_processing_pending{client_namespace=\"cg-redis\"}"), "and Redis under its own");
  }

  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      fail("promtool is not installed: apt-get install prometheus (deploy/services.sh installs it)");
    }
    // the gateway's own families (help, type, samples); Vert.x's and the JVM's are the libraries' business
    String ours = String.join("\n", gw.metrics().lines()
        .filter(l -> l.startsWith("cg_") || l.startsWith("# HELP cg_") || l.startsWith("# TYPE cg_")).toList()) + "\n";
    assertTrue(ours.contains("# HELP cg_"), ours);
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(ours.getBytes());
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals("", out.trim(), "promtool on:\n" + ours);
    assertEquals(0, p.exitValue(), out);
  }
}
