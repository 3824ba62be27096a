package eu.consentgateway.consent;

import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Consent receipts with the fields of ISO/IEC TS 27560 (consent record information structure): notice and
 * policy, purposes with their state, method, event time, validity, controller and how to withdraw.
 */
final class Receipts {
  private Receipts() {
  }

  static JsonObject of(ConsentRecord r, Site site, String gatewayBase) {
    JsonArray purposes = new JsonArray();
    for (Purpose p : site.purposes()) {
      purposes.add(new JsonObject()
          .put("id", p.id())
          .put("label", p.labels().getOrDefault(r.locale(), p.id()))
          .put("required", p.required())
          .put("granted", Boolean.TRUE.equals(r.choices().get(p.id()))));
    }
    JsonObject controller = new JsonObject().put("name", site.name()).put("siteId", site.id())
        .put("origins", new JsonArray(site.origins()));
    if (site.policyUrl() != null) {
      controller.put("privacyPolicy", site.policyUrl());
    }
    return new JsonObject()
        .put("schema", "consent-gateway-receipt/1 (fields after ISO/IEC TS 27560)")
        .put("receiptId", r.consentId().toString())
        .put("controller", controller)
        .put("subject", new JsonObject().put("id", r.subjectId().toString()).put("type", "pseudonymous"))
        .put("notice", new JsonObject()
            .put("noticeId", r.noticeId() == null ? null : r.noticeId().toString())
            .put("policyVersion", r.policyVersion())
            .put("textVersion", r.textHash())
            .put("locale", r.locale()))
        .put("event", new JsonObject()
            .put("type", r.kind())
            .put("method", r.method())
            .put("time", r.givenAt().toString())
            .put("globalPrivacyControl", r.gpc())
            .put("supersedes", r.supersedes() == null ? null : r.supersedes().toString()))
        .put("purposes", purposes)
        .put("validity", new JsonObject()
            .put("periodStart", r.periodStart().toString())
            .put("expiresAt", r.expiresAt().toString())
            .put("rule", "13 months from the first deposit, never extended by later visits"))
        .put("withdrawal", new JsonObject()
            .put("page", gatewayBase + "/preferences?site=" + site.id())
            .put("api", "POST " + gatewayBase + "/v1/consents/withdraw"))
        .put("collection", new JsonObject()
            .put("ipPrefix", r.ipPrefix())
            .put("userAgentFamily", r.uaFamily()));
  }
}
