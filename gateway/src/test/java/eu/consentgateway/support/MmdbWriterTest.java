package eu.consentgateway.support;

import static eu.consentgateway.support.MmdbWriter.city;
import static eu.consentgateway.support.MmdbWriter.country;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MmdbWriterTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {24, 28, 32})
  void theRealReaderReadsBackWhatWasWritten(int recordSize) throws Exception {
    String longName = "L".repeat(300);
    Path file = dir.resolve("test-" + recordSize + ".mmdb");
    new MmdbWriter().recordSize(recordSize)
        .add("89.160.20.0/24", city("SE", true, "E", "Linköping"))
        .add("216.160.83.0/24", city("US", false, "WA", "Milton"))
        .add("216.160.83.128/25", city("US", false, "WA", longName))
        .add("2a02:cfc0::/29", country("FR", true))
        .write(file);

    try (DatabaseReader reader = new DatabaseReader.Builder(file.toFile()).build()) {
      assertEquals(recordSize, reader.metadata().recordSize());
      assertEquals("GeoIP2-City", reader.metadata().databaseType());

      CityResponse se = reader.city(InetAddress.getByName("89.160.20.112"));
      assertEquals("SE", se.country().isoCode());
      assertEquals("SE", se.country().getName(), "names.en");
      assertTrue(se.country().isInEuropeanUnion());
      assertEquals("E", se.subdivisions().get(0).isoCode());
      assertEquals("Linköping", se.city().getName());

      CityResponse us = reader.city(InetAddress.getByName("216.160.83.56"));
      assertEquals("US", us.country().isoCode());
      assertFalse(us.country().isInEuropeanUnion());
      assertEquals("WA", us.mostSpecificSubdivision().isoCode());
      assertEquals("Milton", us.city().getName());
      // the /25 split the /24: both halves keep their own data
      assertEquals(longName, reader.city(InetAddress.getByName("216.160.83.200")).city().getName());

      CityResponse fr = reader.city(InetAddress.getByName("2a02:cfc0:1234::1"));
      assertEquals("FR", fr.country().isoCode());
      assertTrue(fr.country().isInEuropeanUnion());
      assertTrue(fr.subdivisions().isEmpty());

      assertTrue(reader.tryCity(InetAddress.getByName("10.1.2.3")).isEmpty());
      assertTrue(reader.tryCity(InetAddress.getByName("2001:db8::1")).isEmpty());
    }
  }
}
