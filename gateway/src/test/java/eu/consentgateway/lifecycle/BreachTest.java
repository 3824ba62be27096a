package eu.consentgateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.store.Jobs;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.Smtp;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The breach register and the holders' notices; e-mail that waits for a server that is down. */
class BreachTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:00:00Z"));
  static Smtp smtp;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    smtp = new Smtp();
    gw = TestGateway.start(TestStores.config(Map.of("CG_SMTP_URL", smtp.url())), clock);
  }

  @AfterAll
  static void stop() {
    gw.close();
    smtp.close();
  }

  static String siteWithHolders(String prefix, int n) {
    String site = TestStores.uniqueSite(prefix);
    gw.createSite(site);
    String key = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "site").put("sites",
        new JsonArray().add(site)), TestGateway.admin()).bodyAsJsonObject().getString("token");
    for (int i = 0; i < n; i++) {
      assertEquals(201, gw.putJson("/v1/sites/" + site + "/accounts/h" + i, new JsonObject().put("name", "H" + i)
          .put("email", site + "-h" + i + "@example.org").put("language", i % 2 == 0 ? "fr" : "en"),
          TestGateway.bearer(key)).statusCode());
    }
    return site;
  }

  static JsonObject incident(String site, String risk) {
    return new JsonObject().put("nature", "A backup of the accounts table was readable from the internet")
        .put("categories", new JsonArray().add("identity").add("contact"))
        .put("approxPeople", 3).put("approxRecords", 3)
        .put("consequences", "Phishing e-mails pretending to come from the shop")
        .put("measures", "The backup was removed; reset your password and beware of such e-mails")
        .put("contact", "dpo@shop.example").put("risk", risk).put("discoveredAt", "2026-11-20T06:00:00Z")
        .put("sites", new JsonArray().add(site));
  }

  static void deliver() {
    TestGateway.await(gw.gateway().jobs().runNow("mail-delivery",
        gw.gateway().lifecycle().jobs().get("mail-delivery"), false));
  }

  @Test
  void aHighRiskIncidentTellsEachHolderOnceWithTheFourContents() {
    String site = siteWithHolders("breach", 3);
    var created = gw.postJson("/v1/admin/incidents", incident(site, "high"), TestGateway.admin());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject i = created.bodyAsJsonObject();
    assertEquals("2026-11-23T06:00:00Z", i.getString("authorityDeadline"), "72 hours after discovery");
    assertEquals(3L, i.getLong("queuedNow"));
    deliver();
    for (int h = 0; h < 3; h++) {
      List<Smtp.Message> got = smtp.to(site + "-h" + h + "@example.org");
      assertEquals(1, got.size());
      String text = got.get(0).text();
      for (String content : new String[] {"readable from the internet", "Phishing", "The backup was removed",
          "dpo@shop.example"}) {
        assertTrue(text.contains(content), "missing '" + content + "' in:\n" + text);
      }
      assertTrue(got.get(0).subject().contains(h % 2 == 0 ? "incident de sécurité" : "security incident"));
    }
    String id = i.getString("incidentId");
    var again = gw.postJson("/v1/admin/incidents/" + id + "/notify", new JsonObject(), TestGateway.admin());
    assertEquals(0L, again.bodyAsJsonObject().getLong("queuedNow"));
    deliver();
    assertEquals(3, smtp.received().stream().filter(m -> m.to().startsWith(site)).count(), "never twice");
    assertEquals(3L, gw.get("/v1/admin/incidents/" + id, TestGateway.admin()).bodyAsJsonObject()
        .getLong("holdersNotified"), "the register says who was told");
  }

  @Test
  void theAuthorityClockIsVisibleAndOverdueIsCounted() {
    String site = siteWithHolders("breach-low", 1);
    var created = gw.postJson("/v1/admin/incidents", incident(site, "low"), TestGateway.admin());
    assertEquals(0L, created.bodyAsJsonObject().getLong("queuedNow"), "a low-risk incident is not mailed");
    String id = created.bodyAsJsonObject().getString("incidentId");
    assertNull(created.bodyAsJsonObject().getString("authorityNotifiedAt"));
    clock.advance(Duration.ofHours(80));
    try {
      TestGateway.await(gw.gateway().jobs().runNow("lifecycle-gauges",
          gw.gateway().lifecycle().jobs().get("lifecycle-gauges"), false));
      assertTrue(gw.metric("cg_incidents_authority_overdue") >= 1);
      var notified = gw.postJson("/v1/admin/incidents/" + id + "/authority", new JsonObject(), TestGateway.admin());
      assertEquals(200, notified.statusCode());
      assertEquals(409, gw.postJson("/v1/admin/incidents/" + id + "/authority", new JsonObject(),
          TestGateway.admin()).statusCode());
    } finally {
      clock.advance(Duration.ofHours(-80));
    }
    var bad = gw.postJson("/v1/admin/incidents", incident(site, "medium"), TestGateway.admin());
    assertEquals(400, bad.statusCode());
  }

  @Test
  void withSmtpDownMessagesWaitThenGoOnce() {
    String site = siteWithHolders("breach-down", 1);
    smtp.stop();
    try {
      assertEquals(201, gw.postJson("/v1/admin/incidents", incident(site, "high"), TestGateway.admin()).statusCode());
      deliver();
      assertEquals(1, TestStores.count("SELECT count(*) FROM identity.mail WHERE site_id = ? AND status = 'pending' "
          + "AND attempts = 1", site), "tried once, waiting");
    } finally {
      smtp.start();
    }
    clock.advance(Duration.ofMinutes(2)); // past the backoff
    try {
      deliver();
      deliver();
      assertEquals(1, smtp.to(site + "-h0@example.org").size());
      assertEquals(1, TestStores.count("SELECT count(*) FROM identity.mail WHERE site_id = ? AND status = 'sent'",
          site));
    } finally {
      clock.advance(Duration.ofMinutes(-2));
    }
  }

  @Test
  void anAdminKeyOfSomeSitesSeesAndRequeuesOnlyTheirDeadMails() {
    String mine = TestStores.uniqueSite("dead-mine");
    String theirs = TestStores.uniqueSite("dead-theirs");
    gw.createSite(mine);
    gw.createSite(theirs);
    for (String site : List.of(mine, theirs)) {
      TestStores.execute("INSERT INTO identity.mail (dedupe_key, site_id, account_id, kind, language, created_at, "
          + "next_at, attempts, status, last_error) VALUES ('dead-" + site + "', '" + site + "', 'a1', 'breach', 'en', "
          + "now(), now() + interval '1 day', 8, 'dead', '550 mailbox unavailable')");
    }
    String scoped = gw.postJson("/v1/admin/keys", new JsonObject().put("role", "admin").put("sites",
        new JsonArray().add(mine)), TestGateway.admin()).bodyAsJsonObject().getString("token");

    JsonArray seen = gw.getAdmin("/v1/admin/mail/dead", scoped).bodyAsJsonObject().getJsonArray("dead");
    assertEquals(List.of(mine), seen.stream().map(o -> ((JsonObject) o).getString("siteId"))
        .filter(s -> s.equals(mine) || s.equals(theirs)).toList(), "only the key's own site: " + seen);
    JsonArray all = gw.get("/v1/admin/mail/dead", TestGateway.admin()).bodyAsJsonObject().getJsonArray("dead");
    assertEquals(2, all.stream().map(o -> ((JsonObject) o).getString("siteId"))
        .filter(s -> s.equals(mine) || s.equals(theirs)).count(), "the bootstrap admin sees both: " + all);

    var requeued = gw.postJson("/v1/admin/mail/retry", new JsonObject(), TestGateway.bearer(scoped));
    assertEquals(200, requeued.statusCode(), requeued.bodyAsString());
    assertEquals(1, requeued.bodyAsJsonObject().getInteger("requeued"));
    assertEquals(1, TestStores.count("SELECT count(*) FROM identity.mail WHERE site_id = ? AND status = 'dead'",
        theirs), "another site's dead mail stays where it was");
    assertEquals(0, TestStores.count("SELECT count(*) FROM identity.mail WHERE site_id = ? AND status = 'dead'",
        mine));
  }
}
