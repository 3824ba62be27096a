package eu.consentgateway.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.forward.EuLocator.Verdict;
import eu.consentgateway.support.MmdbWriter;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.terminal.GeoIp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EuLocatorTest {
  @TempDir
  Path dir;
  private Vertx vertx;
  private GeoIp geo;
  private EuLocator locator;
  private final List<String> asked = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Path file = dir.resolve("city.mmdb");
    MmdbWriter.sampleCities().write(file);
    geo = GeoIp.open(vertx, Optional.of(file));
    Map<String, List<String>> dns = Map.of(
        "hooks.eu.example", List.of("89.160.20.112", "2a02:cfc0::10"),
        "hooks.us.example", List.of("216.160.83.56"),
        "hooks.mixed.example", List.of("89.160.20.112", "216.160.83.56"),
        "hooks.private.example", List.of("10.0.0.7"));
    locator = new EuLocator(vertx, geo, host -> {
      asked.add(host);
      List<String> addresses = dns.get(host);
      if (addresses == null) {
        return Future.failedFuture(new UnknownHostException(host));
      }
      List<InetAddress> out = new ArrayList<>();
      for (String a : addresses) {
        out.add(literal(a));
      }
      return Future.succeededFuture(out);
    });
  }

  @AfterEach
  void stop() {
    geo.close();
    TestGateway.await(vertx.close());
  }

  private Verdict check(String host) {
    return TestGateway.await(locator.check(host));
  }

  @Test
  void aHostWhoseAddressesAreAllInTheEuIsAccepted() {
    Verdict v = check("hooks.eu.example");
    assertTrue(v.eu(), v.reason());
    assertEquals(List.of("SE", "FR"), v.countries());
    assertTrue(v.reason().contains("hooks.eu.example"), v.reason());
  }

  @Test
  void aHostInTheUnitedStatesIsRefusedNamingTheCountry() {
    Verdict v = check("hooks.us.example");
    assertFalse(v.eu());
    assertEquals(List.of("US"), v.countries());
    assertEquals("hooks.us.example resolves to 216.160.83.56 in US, outside the EU", v.reason());
  }

  @Test
  void oneAddressOutsideTheEuIsEnoughToRefuse() {
    Verdict v = check("hooks.mixed.example");
    assertFalse(v.eu());
    assertEquals(List.of("SE", "US"), v.countries());
    assertTrue(v.reason().contains("216.160.83.56 in US"), v.reason());
  }

  @Test
  void aHostThatDoesNotResolveIsRefused() {
    Verdict v = check("nowhere.example");
    assertFalse(v.eu());
    assertEquals(List.of(), v.countries());
    assertEquals("nowhere.example does not resolve to any address", v.reason());
  }

  @Test
  void anAddressThatCannotBeLocatedIsRefused() {
    Verdict v = check("hooks.private.example");
    assertFalse(v.eu());
    assertTrue(v.reason().contains("10.0.0.7") && v.reason().contains("cannot be located"), v.reason());
  }

  @Test
  void ipLiteralsAreLocatedWithoutAskingTheResolver() {
    assertTrue(check("89.160.20.112").eu());
    assertTrue(check("[2a02:cfc0::10]").eu());
    Verdict us = check("216.160.83.56");
    assertFalse(us.eu());
    assertEquals(List.of("US"), us.countries());
    assertEquals(List.of(), asked);
  }

  @Test
  void withoutADatabaseNothingCanBeShownToBeInTheEu() {
    GeoIp none = GeoIp.open(vertx, Optional.empty());
    Verdict v = TestGateway.await(new EuLocator(vertx, none, host -> Future.failedFuture("unused")).check("89.160.20.112"));
    assertFalse(v.eu());
    assertTrue(v.reason().contains("cannot be located"), v.reason());
  }

  @Test
  void theSystemResolverRunsOffTheEventLoop() {
    // localhost resolves from the hosts file, no network needed; loopback is not located anywhere
    Verdict v = TestGateway.await(EuLocator.withSystemResolver(vertx, geo).check("localhost"));
    assertFalse(v.eu());
    assertTrue(v.reason().startsWith("localhost resolves to "), v.reason());
  }

  private static InetAddress literal(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
