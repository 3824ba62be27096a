package eu.consentgateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.store.Jobs;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.Smtp;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Clause 14: account holders are told once of a substantial policy change where the site asks for it. */
class PolicyNoticesTest {
  static Smtp smtp;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    smtp = new Smtp();
    gw = TestGateway.start(TestStores.config(Map.of("CG_SMTP_URL", smtp.url())),
        new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @AfterAll
  static void stop() {
    gw.close();
    smtp.close();
  }

  static void run(TestGateway on) {
    Map<String, Jobs.Job> jobs = on.gateway().lifecycle().jobs();
    TestGateway.await(on.gateway().jobs().runNow("policy-notices", jobs.get("policy-notices"), false));
    TestGateway.await(on.gateway().jobs().runNow("mail-delivery", jobs.get("mail-delivery"), false));
  }

  @Test
  void aSubstantialVersionIsToldOncePerVersionAndNeverTheFirstOrAMinorOne() {
    String site = TestStores.uniqueSite("policy");
    var put = gw.putJson("/v1/admin/sites/" + site, TestGateway.siteDocument("https://shop.example")
        .put("notifyAccountsOfPolicyChanges", true), TestGateway.admin());
    assertEquals(200, put.statusCode(), put.bodyAsString());
    String key = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "site").put("sites",
        new JsonArray().add(site)), TestGateway.admin()).bodyAsJsonObject().getString("token");
    String email = site + "@example.org";
    assertEquals(201, gw.putJson("/v1/sites/" + site + "/accounts/p1", new JsonObject().put("email", email)
        .put("language", "en"), TestGateway.bearer(key)).statusCode());
    run(gw);
    assertEquals(0, smtp.to(email).size(), "the site's first version is not a change");
    gw.postJson("/v1/admin/sites/" + site + "/policy", new JsonObject().put("version", "2027-01")
        .put("substantial", false), TestGateway.admin());
    run(gw);
    assertEquals(0, smtp.to(email).size(), "a minor version is not told");
    gw.postJson("/v1/admin/sites/" + site + "/policy", new JsonObject().put("version", "2027-02")
        .put("substantial", true), TestGateway.admin());
    run(gw);
    run(gw);
    assertEquals(1, smtp.to(email).size(), "once");
    assertTrue(smtp.to(email).get(0).text().contains("2027-02"), smtp.to(email).get(0).text());
    try (TestGateway restarted = TestGateway.start(TestStores.config(Map.of("CG_SMTP_URL", smtp.url())),
        new MutableClock(Instant.parse("2026-11-26T12:00:00Z")))) {
      run(restarted);
    }
    assertEquals(1, smtp.to(email).size(), "and not again after a restart");
  }
}
