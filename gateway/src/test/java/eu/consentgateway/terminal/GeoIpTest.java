package eu.consentgateway.terminal;

import static eu.consentgateway.support.MmdbWriter.city;
import static eu.consentgateway.support.MmdbWriter.country;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.consentgateway.config.ConfigException;
import eu.consentgateway.support.MmdbWriter;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.terminal.GeoIp.Location;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpTest {
  @TempDir
  Path dir;
  private Vertx vertx;
  private GeoIp geo;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (geo != null) {
      geo.close();
    }
    TestGateway.await(vertx.close());
  }

  private Path cityDatabase() throws Exception {
    Path file = dir.resolve("city.mmdb");
    MmdbWriter.sampleCities().write(file);
    return file;
  }

  private static Location at(GeoIp geo, String address) throws Exception {
    // the gateway only ever looks up truncated visitor addresses
    return geo.locate(ClientAddress.truncate(InetAddress.getByName(address)));
  }

  @Test
  void truncatedAddressesAreLocatedInACityDatabase() throws Exception {
    geo = GeoIp.open(vertx, Optional.of(cityDatabase()));
    assertEquals(new Location("SE", true, "E", "Linköping"), at(geo, "89.160.20.77"));
    assertEquals(new Location("US", false, "WA", "Milton"), at(geo, "216.160.83.56"));
    assertEquals(new Location("FR", true, null, null), at(geo, "2a02:cfc0:1234:5678::9"));
  }

  @Test
  void addressesOutsideEveryRangeAreUnknown() throws Exception {
    geo = GeoIp.open(vertx, Optional.of(cityDatabase()));
    assertEquals(Location.UNKNOWN, at(geo, "10.1.2.3"));
    assertEquals(Location.UNKNOWN, at(geo, "2001:db8::1"));
    assertEquals(Location.UNKNOWN, geo.locate(null));
  }

  @Test
  void withoutADatabaseEverythingIsUnknown() throws Exception {
    geo = GeoIp.open(vertx, Optional.empty());
    assertEquals(Location.UNKNOWN, at(geo, "89.160.20.77"));
  }

  @Test
  void countryDatabasesGiveTheCountryAndTheMemberListBacksTheEuFlag() throws Exception {
    Path file = dir.resolve("country.mmdb");
    new MmdbWriter().databaseType("GeoIP2-Country")
        .add("89.160.20.0/24", country("SE", true))
        // no is_in_european_union in the record: the member-state list still knows Germany
        .add("192.0.2.0/24", country("DE", false))
        .add("216.160.83.0/24", country("US", false))
        .write(file);
    geo = GeoIp.open(vertx, Optional.of(file));
    assertEquals(new Location("SE", true, null, null), at(geo, "89.160.20.77"));
    assertEquals(new Location("DE", true, null, null), at(geo, "192.0.2.200"));
    assertEquals(new Location("US", false, null, null), at(geo, "216.160.83.56"));
  }

  @Test
  void aFileThatIsNotADatabaseStopsStartUpNamingTheVariable() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.mmdb"), "not a database");
    ConfigException e = assertThrows(ConfigException.class, () -> GeoIp.open(vertx, Optional.of(file)));
    assertTrue(e.getMessage().startsWith("CG_GEOIP_DB: "), e.getMessage());
  }

  @Test
  void aReplacedFileIsPickedUpWithoutRestart() throws Exception {
    Path file = cityDatabase();
    geo = GeoIp.open(vertx, Optional.of(file));
    assertEquals("SE", at(geo, "89.160.20.77").country());

    // replaced as geoipupdate does: a complete new file renamed over the old one
    Path next = dir.resolve("city.mmdb.tmp");
    new MmdbWriter().add("89.160.20.0/24", city("FI", true, "18", "Helsinki")).write(next);
    replace(file, next);

    // the timer polls every 5 s: wait for it, within a bound
    long deadline = System.nanoTime() + 8_000_000_000L;
    while (!"FI".equals(at(geo, "89.160.20.77").country()) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(new Location("FI", true, "18", "Helsinki"), at(geo, "89.160.20.77"));
    assertEquals(Location.UNKNOWN, at(geo, "216.160.83.56"), "the old file's ranges are gone, cache included");
  }

  @Test
  void aBrokenReplacementKeepsThePreviousDatabaseUntilAGoodOneArrives() throws Exception {
    Path file = cityDatabase();
    geo = GeoIp.open(vertx, Optional.of(file));
    assertEquals("SE", at(geo, "89.160.20.77").country());

    replace(file, Files.writeString(dir.resolve("half.tmp"), "half a download"));
    pollTwice();
    assertEquals(new Location("US", false, "WA", "Milton"), at(geo, "216.160.83.56"));

    Path good = dir.resolve("good.tmp");
    new MmdbWriter().add("216.160.83.0/24", city("US", false, "WA", "Tacoma")).write(good);
    replace(file, good);
    pollTwice();
    assertEquals(new Location("US", false, "WA", "Tacoma"), at(geo, "216.160.83.56"));
  }

  private static void replace(Path file, Path next) throws Exception {
    // a later time than any file written in this test, whatever the file system's clock resolution
    Files.setLastModifiedTime(next, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The first call may join a timer check that began before the change; the second surely sees it. */
  private void pollTwice() {
    for (int i = 0; i < 2; i++) {
      try {
        TestGateway.await(geo.poll());
      } catch (IllegalStateException expectedForTheBrokenFile) {
        // the failure is logged and the previous database kept: what the assertions check
      }
    }
  }

  @Test
  void maxMindPublicTestDatabases() throws Exception {
    Path shared = Path.of(System.getProperty("cg.shared.geoip", "../shared/geoip"));
    // these files live outside the repository; the generated databases above cover the same behaviour
    assumeTrue(Files.isDirectory(shared),
        () -> "MaxMind's test databases are not at " + shared.toAbsolutePath() + " (-Dcg.shared.geoip=DIR names them)");
    geo = GeoIp.open(vertx, Optional.of(shared.resolve("GeoIP2-City-Test.mmdb")));
    // full addresses: the test data holds small ranges (89.160.20.112/28) that a /24 network address misses
    Location se = geo.locate(InetAddress.getByName("89.160.20.112"));
    assertEquals("SE", se.country());
    assertTrue(se.eu());
    assertEquals("Linköping", se.city());
    assertEquals(new Location("GB", false, "ENG", "London"), geo.locate(InetAddress.getByName("81.2.69.142")));
    assertEquals(new Location("US", false, "WA", "Milton"), geo.locate(InetAddress.getByName("216.160.83.56")));
    geo.close();

    geo = GeoIp.open(vertx, Optional.of(shared.resolve("GeoIP2-Country-Test.mmdb")));
    Location country = geo.locate(InetAddress.getByName("89.160.20.112"));
    assertEquals("SE", country.country());
    assertTrue(country.eu());
    assertEquals(null, country.city());
    assertEquals(new Location("GB", false, null, null), geo.locate(InetAddress.getByName("81.2.69.142")));
    assertEquals(new Location("US", false, null, null), geo.locate(InetAddress.getByName("216.160.83.56")));
  }
}
