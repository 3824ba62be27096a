package eu.consentgateway.support;

import eu.consentgateway.Gateway;
import eu.consentgateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway on a free loopback port, with a blocking HTTP client for readable tests; every exchange of that
 * client is held to openapi.yaml.
 */
public final class TestGateway implements AutoCloseable {
  private final Gateway gateway;
  private final Vertx clientVertx;
  private final WebClient client;
  private final int port;
  private final int managementPort;

  private TestGateway(Gateway gateway, int port, int managementPort) {
    this.gateway = gateway;
    this.port = port;
    this.managementPort = managementPort;
    this.clientVertx = Vertx.vertx();
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        );
  }

  public static TestGateway start(Clock clock) {
    return start(TestStores.config(), clock);
  }

  public static TestGateway start(GatewayConfig config, Clock clock) {
    return new TestGateway(await(Gateway.start(config, clock), 90), config.httpPort(), config.managementPort());
  }

  /** A GET on the management port ({@code /metrics}, detailed health). */
  public HttpResponse<Buffer> management(String path) {
    return await(client.get(managementPort, "127.0.0.1", path).send());
  }

  /** The Prometheus text of {@code /metrics}. */
  public String metrics() {
    return management("/metrics").bodyAsString();
  }

  /** The value of one series ({@code name{labels}} exactly as exposed), 0 when it is not there. */
  public double metric(String series) {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  public Gateway gateway() {
    return gateway;
  }

  public int port() {
    return port;
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  public static <T> T await(Future<T> future) {
    return await(future, 30);
  }

  /** Waits at most {@code seconds} (a start on a busy machine takes longer than a request). */
  public static <T> T await(Future<T> future, int seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  /**
   * Sends a request and checks the exchange against openapi.yaml ({@link OpenApiContract}): an answer the document
   * does not describe fails the test that sent it.
   */
  public HttpResponse<Buffer> send(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    var request = client.request(method, path);
    MultiMap h = request.headers();
    headers.forEach(h::set);
    HttpResponse<Buffer> response = await(body == null ? request.send() : request.sendBuffer(body));
    OpenApiContract.document().check(new OpenApiContract.Exchange(method, path, headers, body,
        response.statusCode(), response.headers(), response.body()));
    return response;
  }

  public HttpResponse<Buffer> get(String path, Map<String, String> headers) {
    return send(HttpMethod.GET, path, headers, null);
  }

  public HttpResponse<Buffer> getAdmin(String path, String key) {
    return get(path, bearer(key));
  }

  public HttpResponse<Buffer> postJson(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.POST, path, withJson(headers), body.toBuffer());
  }

  public HttpResponse<Buffer> putJson(String path, JsonObject body, Map<String, String> headers) {
    return send(HttpMethod.PUT, path, withJson(headers), body.toBuffer());
  }

  private static Map<String, String> withJson(Map<String, String> headers) {
    var out = new java.util.HashMap<>(headers);
    out.putIfAbsent("Content-Type", "application/json");
    return out;
  }

  public static Map<String, String> admin() {
    return Map.of("Authorization", "Bearer " + TestStores.ADMIN_TOKEN);
  }

  public static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  /** A site with statistics and prospecting purposes, created through the admin API. */
  public static JsonObject siteDocument(String origin) {
    return new JsonObject()
        .put("name", "Test shop")
        .put("origins", new JsonArray().add(origin))
        .put("policy", new JsonObject().put("version", "2026-11").put("url", "https://shop.example/privacy"))
        .put("locales", new JsonArray().add("fr").add("en"))
        .put("purposes", new JsonArray()
            .add(new JsonObject().put("id", "statistics")
                .put("labels", new JsonObject().put("en", "Statistics").put("fr", "Statistiques"))
                .put("cookies", new JsonArray().add("_stats")))
            .add(new JsonObject().put("id", "prospecting")
                .put("labels", new JsonObject().put("en", "Prospecting").put("fr", "Prospection"))));
  }

  public JsonObject createSite(String siteId) {
    var response = putJson("/v1/admin/sites/" + siteId, siteDocument("https://shop.example"), admin());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("site creation failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  public static JsonObject consentBody(String siteId, String method, Map<String, Boolean> choices) {
    JsonObject c = new JsonObject();
    choices.forEach(c::put);
    return new JsonObject().put("siteId", siteId).put("policyVersion", "2026-11").put("locale", "fr")
        .put("method", method).put("choices", c);
  }

  public JsonObject consent(JsonObject body) {
    var response = postJson("/v1/consents", body, Map.of());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("consent failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  @Override
  public void close() {
    client.close();
    await(clientVertx.close());
    await(gateway.close());
  }
}
