package eu.consentgateway.rights;

import eu.consentgateway.consent.ConsentRecord;
import eu.consentgateway.http.Csv;
import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** Everything held about a visitor, in open formats (clause 16): JSON, and CSV with one row per event. */
final class Exports {
  static final String TECHNICAL_DATA = "Technical data (pages seen, browser, approximate location) is stored "
      + "without any identifier linked to you, so it cannot be selected, exported or deleted per person.";

  private Exports() {
  }

  static JsonObject json(Site site, String subjectId, List<ConsentRecord> history, Instant now) {
    JsonArray consents = new JsonArray();
    for (ConsentRecord r : history) {
      consents.add(r.toJson()
          .put("noticeId", r.noticeId() == null ? null : r.noticeId().toString())
          .put("textVersion", r.textHash())
          .put("globalPrivacyControl", r.gpc())
          .put("ipPrefix", r.ipPrefix())
          .put("userAgentFamily", r.uaFamily()));
    }
    return new JsonObject()
        .put("exportedAt", now.toString())
        .put("site", new JsonObject().put("id", site.id()).put("name", site.name()))
        .put("subject", new JsonObject().put("id", subjectId).put("type", "pseudonymous"))
        .put("consents", consents)
        .put("technicalData", TECHNICAL_DATA);
  }

  static String csv(Site site, List<ConsentRecord> history) {
    StringBuilder out = new StringBuilder("consent_id,event,method,given_at,expires_at,policy_version,locale,"
        + "ip_prefix,user_agent_family");
    for (Purpose p : site.purposes()) {
      out.append(',').append(cell(p.id()));
    }
    out.append("\r\n");
    for (ConsentRecord r : history) {
      out.append(r.consentId()).append(',').append(r.kind()).append(',').append(r.method()).append(',')
          .append(r.givenAt()).append(',').append(r.expiresAt()).append(',').append(cell(r.policyVersion()))
          .append(',').append(cell(r.locale())).append(',').append(cell(r.ipPrefix())).append(',')
          .append(cell(r.uaFamily()));
      for (Purpose p : site.purposes()) {
        out.append(',').append(Boolean.TRUE.equals(r.choices().get(p.id())) ? "granted" : "refused");
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  static String cell(String value) {
    return Csv.cell(value);
  }

}
