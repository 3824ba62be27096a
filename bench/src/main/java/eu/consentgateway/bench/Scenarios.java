package eu.consentgateway.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** The named scenarios, and the two simple ones: a fixed body from a file, or no body at all. */
final class Scenarios {
  static final String NAMES = "consents, collect-consented, collect-unconsented";

  private Scenarios() {
  }

  static Scenario of(Args args, Target target) {
    String name = args.string("scenario", null);
    String bodyFile = args.string("body-file", null);
    if (name != null && bodyFile != null) {
      throw new Args.Invalid("--scenario and --body-file exclude each other");
    }
    if (bodyFile != null) {
      return fixed(Path.of(bodyFile), args.string("content-type", "application/json"));
    }
    if (name == null) {
      return fixed(null, null);
    }
    String site = args.string("site", "bench");
    List<String> ips = Traffic.addresses(args.integer("ips", 5000, 1000, 1_000_000), 20261126L);
    return switch (name) {
      case "consents" -> new ConsentsScenario(site, ips);
      case "collect-consented", "collect-unconsented" -> new CollectScenario(name.endsWith("-consented"), site,
          ips, target.withPath(args.string("consent-path", "/v1/consents")), args.integer("tokens", 1000, 1, 100_000),
          args.integer("synthetic-token-length", 0, 0, 4096));
      default -> throw new Args.Invalid("unknown scenario '" + name + "' (known: " + NAMES + ")");
    };
  }

  private static Scenario fixed(Path file, String contentType) {
    Buffer body;
    try {
      body = file == null ? Buffer.buffer() : Buffer.buffer(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new Args.Invalid("cannot read --body-file " + file + ": " + e.getMessage());
    }
    MultiMap headers = HttpHeaders.headers();
    if (contentType != null) {
      headers.set(HttpHeaders.CONTENT_TYPE, contentType);
    }
    return new Scenario() {
      @Override
      public String name() {
        return file == null ? "empty" : "file";
      }

      @Override
      public Outgoing next(Random rnd) {
        return new Outgoing(body, headers, null);
      }

      @Override
      public JsonObject describe() {
        return new JsonObject().put("name", name()).put("bodyFile", file == null ? null : file.toString())
            .put("bodyBytes", body.length());
      }
    };
  }

  /** Headers of a browser on the shop's pages, seen through our trusted proxy. */
  static MultiMap browserHeaders(Random rnd, List<String> ips, String contentType) {
    MultiMap h = HttpHeaders.headers();
    h.set(HttpHeaders.CONTENT_TYPE, contentType);
    h.set(HttpHeaders.USER_AGENT, Traffic.USER_AGENTS.get(rnd.nextInt(Traffic.USER_AGENTS.size())));
    h.set("X-Forwarded-For", ips.get(rnd.nextInt(ips.size())));
    h.set(HttpHeaders.ORIGIN, "https://shop.example");
    h.set(HttpHeaders.ACCEPT_LANGUAGE, rnd.nextInt(4) == 0 ? "en-GB,en;q=0.9" : "fr-FR,fr;q=0.9,en;q=0.8");
    return h;
  }
}
