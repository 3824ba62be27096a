package eu.consentgateway.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A beacon without an eventId gets one made as the widget makes its own: version 7, the minute, random bits. */
class BeaconEventIdTest {
  private static final long AT = Instant.parse("2026-12-08T04:30:17.123Z").toEpochMilli();

  @Test
  void anIdMadeHereIsAVersion7UuidCarryingTheMinuteOnly() {
    UUID id = Beacon.eventId(AT);
    assertEquals(7, id.version());
    assertEquals(2, id.variant());
    assertEquals(Instant.parse("2026-12-08T04:30:00Z").toEpochMilli(), id.getMostSignificantBits() >>> 16);
  }

  @Test
  void idsOfOneMinuteDifferAndSortBeforeThoseOfTheNext() {
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(Beacon.eventId(AT));
    }
    assertEquals(1000, ids.size());
    String later = Beacon.eventId(AT + 60_000).toString();
    for (UUID id : ids) {
      assertTrue(id.toString().compareTo(later) < 0, id + " sorts before " + later);
    }
  }

  @Test
  void aBeaconWithoutAnEventIdGetsATimeOrderedOne() {
    long before = System.currentTimeMillis() / 60_000 * 60_000;
    Beacon b = Beacon.parse(new JsonObject().put("siteId", "shop").put("type", "pageview")
        .put("url", "https://shop.example/p"));
    long minute = b.eventId().getMostSignificantBits() >>> 16;
    assertEquals(7, b.eventId().version());
    assertTrue(minute >= before && minute <= System.currentTimeMillis() && minute % 60_000 == 0,
        "the id carries the minute it was made in, not " + minute);
  }
}
