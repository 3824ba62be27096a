package eu.consentgateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /v1/collect} page views as the widget's beacon sends them (text/plain JSON, no pre-flight).
 * Consented: each beacon carries one of a pool of tokens obtained up front from {@code POST /v1/consents}
 * (statistics granted), or synthetic tokens of the same shape when measuring a bare server.
 * Unconsented: no token. Each 202's eventId is recorded.
 */
final class CollectScenario implements Scenario {
  private static final int PREPARE_CONCURRENCY = 16;
  private static final long PREPARE_LIMIT_MS = 120_000;

  private final boolean consented;
  private final String site;
  private final List<String> ips;
  private final Target consentTarget;
  private final int tokenCount;
  private final int syntheticLength;
  private volatile List<String> tokens = List.of();

  CollectScenario(boolean consented, String site, List<String> ips, Target consentTarget, int tokenCount,
      int syntheticLength) {
    this.consented = consented;
    this.site = site;
    this.ips = ips;
    this.consentTarget = consentTarget;
    this.tokenCount = tokenCount;
    this.syntheticLength = syntheticLength;
  }

  @Override
  public String name() {
    return consented ? "collect-consented" : "collect-unconsented";
  }

  @Override
  public Future<Void> prepare(Vertx vertx) {
    if (!consented) {
      return Future.succeededFuture();
    }
    if (syntheticLength > 0) {
      tokens = synthetic(tokenCount, syntheticLength);
      return Future.succeededFuture();
    }
    WebClient web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgentEnabled(false),
        new PoolOptions().setHttp1MaxSize(PREPARE_CONCURRENCY));
    List<String> got = Collections.synchronizedList(new ArrayList<>(tokenCount));
    AtomicInteger issued = new AtomicInteger();
    long deadline = System.currentTimeMillis() + PREPARE_LIMIT_MS;
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < PREPARE_CONCURRENCY; i++) {
      workers.add(obtain(web, got, issued, deadline));
    }
    return Future.all(workers).andThen(ar -> web.close()).map(v -> {
      tokens = List.copyOf(got);
      return null;
    });
  }

  private Future<Void> obtain(WebClient web, List<String> got, AtomicInteger issued, long deadline) {
    if (issued.getAndIncrement() >= tokenCount) {
      return Future.succeededFuture();
    }
    if (System.currentTimeMillis() > deadline) {
      return Future.failedFuture("obtaining " + tokenCount + " consent tokens took more than "
          + PREPARE_LIMIT_MS / 1000 + " s");
    }
    Random rnd = ThreadLocalRandom.current();
    return web.post(consentTarget.port(), consentTarget.host(), consentTarget.path())
        .putHeaders(Scenarios.browserHeaders(rnd, ips, "application/json"))
        .sendBuffer(Buffer.buffer(ConsentsScenario.body(site)))
        .compose(resp -> {
          String token = resp.statusCode() == 201 ? token(resp.bodyAsString()) : null;
          if (token == null) {
            String text = resp.bodyAsString();
            return Future.failedFuture("POST " + consentTarget + " answered " + resp.statusCode() + " without a token: "
                + (text == null ? "" : text.substring(0, Math.min(200, text.length()))));
          }
          got.add(token);
          return obtain(web, got, issued, deadline);
        });
  }

  private static String token(String json) {
    try {
      return json == null ? null : new JsonObject(json).getString("token");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Tokens shaped like the gateway's ({@code v1.<kid>.<payload>.<mac>}) but signed by nobody. */
  private static List<String> synthetic(int count, int length) {
    Random rnd = new Random(42);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder("v1.k0000000.");
      while (sb.length() < length) {
        sb.append(length - sb.length() == 44 ? '.' : alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      out.add(sb.toString());
    }
    return List.copyOf(out);
  }

  @Override
  public Outgoing next(Random rnd) {
    String eventId = Traffic.eventId(rnd, System.currentTimeMillis());
    int[] screen = Traffic.SCREENS[rnd.nextInt(Traffic.SCREENS.length)];
    StringBuilder b = new StringBuilder(consented ? 512 : 256).append("{\"siteId\":\"").append(site).append('"');
    if (consented) {
      b.append(",\"token\":\"").append(tokens.get(rnd.nextInt(tokens.size()))).append('"');
    }
    b.append(",\"type\":\"pageview\",\"url\":\"https://shop.example/p/").append(1 + rnd.nextInt(5000))
        .append("\",\"referrer\":\"").append(Traffic.REFERRERS.get(rnd.nextInt(Traffic.REFERRERS.size())))
        .append("\",\"screen\":{\"w\":").append(screen[0]).append(",\"h\":").append(screen[1])
        .append("},\"eventId\":\"").append(eventId).append("\"}");
    return new Outgoing(Buffer.buffer(b.toString()),
        Scenarios.browserHeaders(rnd, ips, "text/plain;charset=UTF-8"), eventId);
  }

  @Override
  public String recorded(Outgoing sent, int status, Buffer answer) {
    return status == 202 ? sent.sentId() : null;
  }

  @Override
  public JsonObject describe() {
    return new JsonObject().put("name", name()).put("site", site).put("userAgents", Traffic.USER_AGENTS.size())
        .put("addresses", ips.size()).put("tokens", consented ? tokens.size() : 0)
        .put("tokenSource", !consented ? "none" : syntheticLength > 0 ? "synthetic" : consentTarget.toString())
        .put("tokenLength", tokens.isEmpty() ? 0 : tokens.get(0).length());
  }
}
