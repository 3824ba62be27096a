package eu.consentgateway.http;

import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection and request meets before any route: a cap on connections, deadlines for a request to
 * arrive (so a client trickling bytes cannot hold a connection), and refusal of what no route could serve
 * (unknown methods, a missing or malformed {@code Host}, a path that does not decode, requests the HTTP decoder
 * rejected). Every refusal is the JSON error body and a counted reason, never a stack trace. One instance per
 * event loop; the connection count is shared by the process.
 */
public final class FrontDoor {
  private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);
  private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))"
      + "(?::[0-9]{1,5})?");
  /** How often {@link #sweep} should run. */
  public static final long SWEEP_MS = 1_000;

  /** The connection count of the whole process, shared by its event loops. */
  public static final class Shared {
    final AtomicInteger connections = new AtomicInteger();
    final Map<String, Counter> refused = new java.util.concurrent.ConcurrentHashMap<>();
    final MeterRegistry metrics;

    public Shared(MeterRegistry metrics) {
      this.metrics = metrics;
      Meters.gauge(metrics, "cg_http_open_connections", "Open HTTP connections on the public port", connections);
    }

    void refuse(String reason) {
      refused.computeIfAbsent(reason, r -> Meters.counter(metrics, "cg_http_refused_total",
          "Connections and requests refused before reaching a route, by reason", "reason", r)).increment();
    }
  }

  /** Where a connection is in its current exchange, and until when it may stay there. */
  private static final class Conn {
    HttpServerRequest request; // the latest request, or null before the first one
    long started;              // nanoTime its headers arrived
    long deadline;             // nanoTime by which the next step must happen; 0: none
    boolean keepAlive;         // the latest response ended: waiting for the next request
  }

  private final GatewayConfig.Limits limits;
  private final Shared shared;
  private final Map<HttpConnection, Conn> open = new IdentityHashMap<>();

  public FrontDoor(GatewayConfig.Limits limits, Shared shared) {
    this.limits = limits;
    this.shared = shared;
  }

  public void onConnection(HttpConnection conn) {
    if (shared.connections.incrementAndGet() > limits.maxConnections()) {
      shared.connections.decrementAndGet();
      shared.refuse("connections");
      conn.close();
      return;
    }
    Conn c = new Conn();
    c.deadline = System.nanoTime() + limits.requestReadTimeout().toNanos();
    open.put(conn, c);
    conn.closeHandler(v -> {
      open.remove(conn);
      shared.connections.decrementAndGet();
    });
  }

  /** Wraps the router: the request is noted for its deadline, and refused here if no route could serve it. */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return req -> {
      Conn c = open.get(req.connection());
      if (c != null) {
        c.request = req;
        c.started = System.nanoTime();
        c.keepAlive = false;
        c.deadline = req.isEnded() ? 0 : System.nanoTime() + limits.requestReadTimeout().toNanos();
      }
      String refusal = refusal(req);
      if (refusal != null) {
        return;
      }
      next.handle(req);
    };
  }

  /** Null when the request may go on; otherwise it was answered here and the reason is returned. */
  private String refusal(HttpServerRequest req) {
    if (!Meters.METHODS.contains(req.method().name())) {
      return refuse(req, 501, "method_not_implemented", "the gateway does not implement this HTTP method",
          "method");
    }
    String host = req.getHeader("Host");
    if (host == null || !HOST.matcher(host).matches()) {
      return refuse(req, 400, "invalid_host", "a valid Host header is required", "host");
    }
    if (!decodable(req.path())) {
      return refuse(req, 400, "malformed_path", "the path has an invalid percent-encoding", "path");
    }
    return null;
  }

  /** For requests the HTTP decoder could not read: too long a line, too many headers, garbage. */
  public void onInvalidRequest(HttpServerRequest req) {
    Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      refuse(req, 414, "uri_too_long", "the request line is too long", "uri_too_long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refuse(req, 431, "headers_too_large", "the request headers are too large", "headers_too_large");
    } else {
      refuse(req, 400, "malformed_request", "the request is not valid HTTP", "malformed_request");
    }
  }

  private String refuse(HttpServerRequest req, int status, String code, String message, String reason) {
    shared.refuse(reason);
    LOG.debug("refused at the door [status={}] [reason={}]", status, reason);
    error(req.response(), status, code, message, true);
    return reason;
  }

  /** The error body, written without a routing context; {@code close} ends the connection after it. */
  public static void error(HttpServerResponse response, int status, String code, String message, boolean close) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
    if (close) {
      response.putHeader("Connection", "close");
    }
    response.end(new JsonObject().put("error", code).put("message", message).encode());
  }

  /** Closes what overstayed: a request still arriving (408), or a connection that sent nothing in time. */
  public void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<HttpConnection, Conn> e : new ArrayList<>(open.entrySet())) {
      Conn c = e.getValue();
      HttpServerRequest req = c.request;
      if (req != null && !c.keepAlive) {
        if (req.response().ended()) {
          c.keepAlive = true;
          c.deadline = now + limits.keepAliveTimeout().toNanos();
          continue;
        }
        if (req.isEnded()) {
          c.deadline = 0;
          // being served: the store timeouts bound that, and this is the last resort (a frozen server, a
          // dropped network); the operator API may legitimately take longer (rollups, DNS checks)
          if (now - c.started > limits.requestTimeout().toNanos() && !req.path().startsWith("/v1/admin/")
              && !"/health/live".equals(req.path())) {
            shared.refuse("request_timeout");
            req.response().putHeader("Retry-After", "5");
            error(req.response(), 503, "unavailable", "the gateway could not complete the request in time; "
                + "retry shortly (a repeated Idempotency-Key or eventId is applied once)", false);
          }
          continue;
        }
      }
      if (c.deadline != 0 && now - c.deadline > 0) {
        if (req != null && !c.keepAlive && !req.isEnded()) {
          shared.refuse("read_timeout");
          error(req.response(), 408, "request_timeout", "the request did not arrive in time", true);
        } else if (req == null) {
          shared.refuse("read_timeout");
        }
        e.getKey().close();
      }
    }
  }

  /**
   * Whether the router can read the path as its sender meant it: escapes of two hex digits that decode to UTF-8
   * text without U+0000, and no raw non-ASCII byte (a request target is ASCII; the router's decoder would misplace
   * the escapes after one).
   */
  static boolean decodable(String path) {
    if (path == null) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) >= 0x80) {
        return false;
      }
    }
    if (path.indexOf('%') < 0) {
      return true;
    }
    ByteBuffer bytes = ByteBuffer.allocate(path.length());
    for (int i = 0; i < path.length(); i++) {
      char ch = path.charAt(i);
      if (ch == '%') {
        if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
            || Character.digit(path.charAt(i + 2), 16) < 0) {
          return false;
        }
        bytes.put((byte) Integer.parseInt(path.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.put((byte) ch);
      }
    }
    bytes.flip();
    try {
      String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
      return decoded.indexOf('\u0000') < 0;
    } catch (java.nio.charset.CharacterCodingException ex) {
      return false;
    }
  }
}
