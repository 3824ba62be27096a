package eu.consentgateway.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.consentgateway.http.ApiError;
import org.junit.jupiter.api.Test;

/** Screened pages and hosts are remembered; what is remembered is the screened form, and a refusal stays one. */
class BeaconMemoTest {
  @Test
  void aRememberedPageIsTheScreenedOneAndARefusedUrlIsRefusedAgain() {
    String url = "https://shop.example/u/jo@example.com/orders?mail=jo@example.com";
    String first = Beacon.page(url);
    assertFalse(first.contains("jo@example.com"), first);
    assertEquals(first, Beacon.page(url));
    String longUrl = "https://shop.example/" + "a/".repeat(200) + "jo@example.com";
    assertFalse(Beacon.page(longUrl).contains("jo@example.com"), "over the remembered length: screened each time");
    for (int i = 0; i < 2; i++) {
      assertThrows(ApiError.class, () -> Beacon.page("ftp://shop.example/"));
    }
    assertEquals(Beacon.host("https://192.0.2.10.nip.io/x"), Beacon.host("https://192.0.2.10.nip.io/x"));
    assertFalse(Beacon.host("https://192.0.2.10.nip.io/x").contains("192.0.2.10"));
    assertEquals(null, Beacon.host("not a url"));
    assertEquals(null, Beacon.host("not a url"), "an unreadable referrer is remembered as none");
  }
}
