package eu.consentgateway.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/** {@code POST /v1/consents}: a visitor accepts everything; each 200/201 answer's consentId is recorded. */
final class ConsentsScenario implements Scenario {
  private static final String ID_FIELD = "\"consentId\":\"";

  private final String site;
  private final Buffer body;
  private final List<String> ips;

  ConsentsScenario(String site, List<String> ips) {
    this.site = site;
    this.body = Buffer.buffer(body(site));
    this.ips = ips;
  }

  static String body(String site) {
    return "{\"siteId\":\"" + site + "\",\"policyVersion\":\"2026-11\",\"locale\":\"fr\",\"method\":\"accept_all\","
        + "\"choices\":{\"statistics\":true,\"prospecting\":true}}";
  }

  @Override
  public String name() {
    return "consents";
  }

  @Override
  public Outgoing next(Random rnd) {
    return new Outgoing(body, Scenarios.browserHeaders(rnd, ips, "application/json"), null);
  }

  @Override
  public String recorded(Outgoing sent, int status, Buffer answer) {
    return status == 201 || status == 200 ? consentId(answer.toString()) : null;
  }

  /** The consentId of an answer without parsing the whole document (the load generator shares the CPU). */
  static String consentId(String json) {
    int at = json.indexOf(ID_FIELD);
    if (at < 0 || at + ID_FIELD.length() + 36 > json.length()) {
      return null;
    }
    return json.substring(at + ID_FIELD.length(), at + ID_FIELD.length() + 36);
  }

  @Override
  public JsonObject describe() {
    return new JsonObject().put("name", name()).put("site", site).put("userAgents", Traffic.USER_AGENTS.size())
        .put("addresses", ips.size()).put("body", body.toString());
  }
}
