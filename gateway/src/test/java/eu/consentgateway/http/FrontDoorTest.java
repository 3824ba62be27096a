package eu.consentgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.LogCapture;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.RawHttp;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the front door refuses, and how: always the JSON error body, never a stack trace, never a 500. */
class FrontDoorTest {
  static final int MAX_CONNECTIONS = 20;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(TestStores.config(Map.of("CG_REQUEST_READ_TIMEOUT_SECONDS", "1",
        "CG_KEEP_ALIVE_SECONDS", "2", "CG_MAX_CONNECTIONS", String.valueOf(MAX_CONNECTIONS))),
        new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static RawHttp.Answer raw(String request) {
    return RawHttp.exchange(gw.port(), request, 5_000);
  }

  static void assertErrorBody(RawHttp.Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.text());
    assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.text());
    JsonObject body = new JsonObject(answer.body());
    assertEquals(code, body.getString("error"), answer.text());
    assertNotNull(body.getString("message"));
    assertFalse(answer.text().contains("Exception"), answer.text());
  }

  @Test
  void missingOrMalformedHostIs400() {
    try (LogCapture log = LogCapture.everything()) {
      assertErrorBody(raw("GET /v1/sites/shop/config HTTP/1.1\r\n\r\n"), 400, "invalid_host");
      assertErrorBody(raw("GET /v1/sites/shop/config HTTP/1.0\r\n\r\n"), 400, "invalid_host");
      assertErrorBody(raw("GET /v1/sites/shop/config HTTP/1.1\r\nHost: evil example\r\n\r\n"), 400, "invalid_host");
      assertErrorBody(raw("GET /v1/sites/shop/config HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400, "invalid_host");
      assertEquals(0, log.stackTraces(), log.text());
    }
  }

  @Test
  void aForgedHostNeverReachesAnAbsoluteUrl() {
    String site = TestStores.uniqueSite("door-host");
    gw.createSite(site);
    var config = raw("GET /v1/sites/" + site + "/config HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assertEquals(200, config.status(), config.text());
    assertEquals(gw.base() + "/preferences?site=" + site,
        new JsonObject(config.body()).getString("preferencesUrl"), "from CG_PUBLIC_URL, never from Host");
    var script = raw("GET /consent.js?site=" + site + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assertEquals(200, script.status());
    assertFalse(script.text().contains("evil.example"), "a cached script cannot be poisoned through Host");
  }

  @Test
  void pathsThatDoNotDecodeAre400() {
    try (LogCapture log = LogCapture.everything()) {
      assertErrorBody(raw("GET /v1/sites/%zz/config HTTP/1.1\r\nHost: gw\r\n\r\n"), 400, "malformed_path");
      assertErrorBody(raw("GET /v1/sites/%C3%28/config HTTP/1.1\r\nHost: gw\r\n\r\n"), 400, "malformed_path");
      assertErrorBody(raw("GET /v1/sites/a%00b/config HTTP/1.1\r\nHost: gw\r\n\r\n"), 400, "malformed_path");
      assertErrorBody(raw("GET /v1/sites/%/config HTTP/1.1\r\nHost: gw\r\n\r\n"), 400, "malformed_path");
      assertEquals(0, log.stackTraces(), log.text());
    }
  }

  @Test
  void requestsTheDecoderRejectsGetTheErrorBody() {
    try (LogCapture log = LogCapture.everything()) {
      assertErrorBody(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: gw\r\n\r\n"), 414, "uri_too_long");
      assertErrorBody(raw("GET / HTTP/1.1\r\nHost: gw\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431,
          "headers_too_large");
      assertErrorBody(raw("HELLO THERE\r\n\r\n"), 400, "malformed_request");
      assertEquals(0, log.stackTraces(), log.text());
    }
  }

  @Test
  void unknownMethodsAre501() {
    assertErrorBody(raw("BREW /v1/consents HTTP/1.1\r\nHost: gw\r\n\r\n"), 501, "method_not_implemented");
  }

  @Test
  void aBodyTrickledSlowerThanTheReadTimeoutIsCutOffWith408() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", gw.port()));
      s.setSoTimeout(6_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/collect HTTP/1.1\r\nHost: gw\r\nContent-Type: text/plain\r\nContent-Length: 200\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      String answer = trickle(s, "{\"siteId\":\"x\"");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("\"error\":\"request_timeout\""), answer);
      assertTrue(ms < 4_000, "cut off after " + ms + " ms");
    }
    assertTrue(gw.metrics().contains("cg_http_refused_total{reason=\"read_timeout\"}"));
  }

  @Test
  void headersTrickledSlowerThanTheReadTimeoutAreCutOff() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", gw.port()));
      s.setSoTimeout(6_000);
      long start = System.nanoTime();
      String answer = trickle(s, "GET /health/live HTTP/1.1\r\nHost: gw\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals("", answer, "closed without an answer: no request ever arrived");
      assertTrue(ms < 4_000, "cut off after " + ms + " ms");
    }
  }

  /** Sends one byte every 200 ms until the server closes; returns what it answered. */
  private static String trickle(Socket s, String text) throws Exception {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    StringBuilder got = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      try {
        out.write(text.charAt(i % text.length()));
        out.flush();
      } catch (java.io.IOException closed) {
        break;
      }
      Thread.sleep(200);
      if (in.available() > 0) {
        byte[] buf = new byte[4096];
        int n = in.read(buf);
        got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        break;
      }
    }
    s.setSoTimeout(3_000);
    try {
      int n;
      byte[] buf = new byte[4096];
      while ((n = in.read(buf)) > 0) {
        got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (java.io.IOException e) {
      // closed or reset: either way cut off
    }
    return got.toString();
  }

  @Test
  void connectionsPastTheCapAreClosedAndCounted() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      int closedAtOnce = 0;
      for (int i = 0; i < MAX_CONNECTIONS + 10; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", gw.port()));
        held.add(s);
      }
      for (Socket s : held) {
        s.setSoTimeout(20); // all read well within the 1 s read timeout, which closes the others too
        try {
          if (s.getInputStream().read() < 0) {
            closedAtOnce++;
          }
        } catch (java.net.SocketTimeoutException open) {
          // still open: within the cap
        } catch (java.io.IOException reset) {
          closedAtOnce++;
        }
      }
      assertTrue(closedAtOnce >= 10 && closedAtOnce <= 15, "connections over the cap closed: " + closedAtOnce);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Thread.sleep(200);
    assertEquals(200, gw.get("/health/live", Map.of()).statusCode(), "served again once below the cap");
    assertTrue(gw.metric("cg_http_refused_total{reason=\"connections\"}") >= 10);
  }
}
