package eu.consentgateway.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Holds every exchange of the test client to {@code openapi.yaml}: the answer must be a documented status with a
 * documented body, and a request the document calls invalid must have been refused (4xx or 503), never served.
 * Requests to paths or methods the document does not name are left alone: tests probe unknown paths on purpose,
 * and {@code OpsTest} checks that every mounted route is described.
 */
public final class OpenApiContract {
  private static final Set<String> UNDESCRIBED = Set.of("validation.request.path.missing",
      "validation.request.operation.notAllowed");
  private static final Set<String> METHODS = java.util.Arrays.stream(Request.Method.values()).map(Enum::name)
      .collect(Collectors.toUnmodifiableSet());
  private static final OpenApiContract DOCUMENT = new OpenApiContract(resource("/openapi.yaml"));

  private final OpenApiInteractionValidator validator;

  /** A contract read from an OpenAPI document's text. */
  public OpenApiContract(String document) {
    this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
  }

  /** The gateway's own document, as it serves it. */
  public static OpenApiContract document() {
    return DOCUMENT;
  }

  /** An exchange as the test client saw it. */
  public record Exchange(HttpMethod method, String uri, Map<String, String> requestHeaders, Buffer requestBody,
      int status, MultiMap responseHeaders, Buffer responseBody) {
  }

  /** Throws an {@link AssertionError} naming each mismatch between the exchange and the document. */
  public void check(Exchange x) {
    List<String> problems = problems(x);
    if (!problems.isEmpty()) {
      throw new AssertionError("openapi.yaml does not describe " + x.method() + " " + x.uri() + " → " + x.status()
          + ":\n  " + String.join("\n  ", problems));
    }
  }

  /** The mismatches of one exchange; empty when the document describes it, or does not name its route. */
  public List<String> problems(Exchange x) {
    if (!METHODS.contains(x.method().name())) {
      return List.of(); // made up (MetricsTest sends thousands): no document can name it
    }
    Request request = request(x);
    ValidationReport requestReport = validator.validateRequest(request);
    if (requestReport.getMessages().stream().anyMatch(m -> UNDESCRIBED.contains(m.getKey()))) {
      return List.of();
    }
    List<String> problems = new java.util.ArrayList<>();
    boolean refused = x.status() >= 400 && x.status() < 500 || x.status() == 503;
    if (requestReport.hasErrors() && !refused) {
      problems.add("the gateway served a request the document calls invalid: " + describe(requestReport));
    }
    ValidationReport responseReport = validator.validateResponse(request.getPath(), request.getMethod(),
        response(x));
    if (responseReport.hasErrors()) {
      problems.add("the answer: " + describe(responseReport));
    }
    return problems;
  }

  private static Request request(Exchange x) {
    String uri = x.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    var b = new SimpleRequest.Builder(x.method().name(), path);
    if (q >= 0) {
      Map<String, List<String>> query = new java.util.LinkedHashMap<>();
      for (String pair : uri.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        query.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
      query.forEach(b::withQueryParam);
    }
    x.requestHeaders().forEach((name, value) -> b.withHeader(name, value));
    if (x.requestBody() != null && x.requestBody().length() > 0) {
      b.withBody(x.requestBody().getBytes());
    }
    return b.build();
  }

  private static SimpleResponse response(Exchange x) {
    var b = new SimpleResponse.Builder(x.status());
    for (String name : x.responseHeaders().names()) {
      b.withHeader(name, x.responseHeaders().getAll(name));
    }
    if (x.responseBody() != null && x.responseBody().length() > 0) {
      // a compressed body stays bytes: only JSON bodies are held to a schema, and those are never compressed
      b.withBody(x.responseBody().getBytes());
    }
    return b.build();
  }

  private static String describe(ValidationReport report) {
    return report.getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .map(m -> "[" + m.getKey() + "] " + m.getMessage())
        .collect(Collectors.joining("; "));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String resource(String name) {
    try (InputStream in = OpenApiContract.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
