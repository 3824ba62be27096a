package eu.consentgateway.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FreeTextTest {
  @Test
  void personalDataIsReplacedAndOrdinaryTextKept() {
    assertEquals("mail :email now", FreeText.screen("mail jo.doe+news@mail.example.fr now"));
    assertEquals("from :ip and :ip", FreeText.screen("from 10.1.2.3 and fe80::1ff:fe23:4567:890a"));
    assertEquals("call :number", FreeText.screen("call 06 12 34 56 78"));
    assertEquals("card :number", FreeText.screen("card 4970-1012-3456-7890"));
    assertEquals("order :id", FreeText.screen("order 123e4567-e89b-12d3-a456-426614174000"));
    // dates, short numbers, versions and times are not personal data
    assertEquals("2026-12-02 build 1234567 v1.2.3 at 12:30:45", FreeText.screen(
        "2026-12-02 build 1234567 v1.2.3 at 12:30:45"));
    assertEquals("std::vector", FreeText.screen("std::vector"));
    // an IPv6 form with an IPv4 tail goes whole, not cut after its first octet (was ":ip.0.2.1")
    assertEquals("at :ip, :ip and :ip", FreeText.screen("at ::ffff:192.0.2.1, 64:ff9b::198.51.100.7 and ::10.1.2.3"));
    assertEquals("/from/:ip/x", FreeText.path("/from/%3A%3Affff%3A203.0.113.9/x"));
    assertTrue(FreeText.ipLiteral("[::ffff:192.0.2.1]"), "a referrer host written as a mapped address is a literal");
    assertEquals("ab", FreeText.screen("a\u0007b\u200e"), "control and format characters go");
  }

  @Test
  void pathsAreDecodedThenScreenedSegmentBySegment() {
    assertEquals("/products/42/red-shoes", FreeText.path("/products/42/red-shoes"));
    assertEquals("/u/:email/settings", FreeText.path("/u/jo%40example.com/settings"));
    assertEquals("/reset/:id", FreeText.path("/reset/9f86d081884c7d659a2feaa0c55ad015"));
    assertEquals("/s/:id", FreeText.path("/s/eyJhbGciOiJIUzI1NiJ9xyz123"));
    assertEquals("/caf\u00e9/menu", FreeText.path("/caf%C3%A9/menu"));
    assertEquals("/bad/\uFFFD(", FreeText.path("/bad/%C3%28"), "what does not decode is U+FFFD");
    assertEquals("/bad/\uFFFD(/u/:email", FreeText.path("/bad/%C3%28/u/jo%40example.com"), "the rest is decoded");
    assertEquals("/caf\u00e9/u/:email", FreeText.path("/caf\u00e9/u/jo%40example.com"), "also beside raw characters");
    assertEquals("/", FreeText.path(""));
    // an escaped '#' or '?' stays escaped: decoded, the rest of the path would read as a fragment or a query
    assertEquals("/reset/jo%23example.com/a%3Fb=1", FreeText.path("/reset/jo%23example.com/a%3fb=1"));
    // removing a control or format character never joins a '%' to what follows it into a new escape (%40 is '@')
    assertEquals("/:email/p", FreeText.path("/a%\u0001\u0000\u001140c.de/p"), "raw ones go before decoding");
    assertEquals("/x/%2540c.de", FreeText.path("/x/%%0140c.de"), "a lone '%' is %25; an escaped control goes");
    assertEquals("/x/%2540c.de", FreeText.path("/x/%%e2%80%8e40c.de"), "so does an escaped format character");
    assertEquals("/fff%2540c.de", FreeText.path("/fff%%340c.de"), "a decoded digit never completes an escape");
    assertEquals("/frr:ip", FreeText.path("/frr%1833.0.1.92"), "an escaped control never hides an address");
    assertEquals("/a%2540b", FreeText.path("/a%2540b"), "an escaped '%' stays escaped");
  }
}
