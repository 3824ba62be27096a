package eu.consentgateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.store.Jobs;
import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.Smtp;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clause 10 with a clock moved by hand and a real SMTP server: the invitation after three years without a login,
 * the reminders, a login that cancels everything, the deletion after the grace period with its final notice, and
 * nothing sent twice across a restart or with two instances running the job at once.
 */
class InactivityTest {
  static final Instant T0 = Instant.parse("2023-01-10T09:00:00Z");
  static final MutableClock clock = new MutableClock(T0);
  static Smtp smtp;
  static TestGateway a;
  static TestGateway b;
  String site;
  String key;

  @BeforeAll
  static void start() {
    smtp = new Smtp();
    Map<String, String> env = Map.of("CG_SMTP_URL", smtp.url(), "CG_MAIL_FROM", "Shop <privacy@shop.example>");
    a = TestGateway.start(TestStores.config(env), clock);
    b = TestGateway.start(TestStores.config(env), clock);
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    smtp.close();
  }

  @BeforeEach
  void site() {
    clock.set(T0);
    site = TestStores.uniqueSite("inactive");
    a.createSite(site);
    key = a.postJson("/v1/admin/keys", new JsonObject().put("role", "site").put("sites", new JsonArray().add(site)),
        TestGateway.admin()).bodyAsJsonObject().getString("token");
  }

  String account(String language) {
    String id = "u-" + UUID.randomUUID().toString().substring(0, 8);
    var r = a.putJson("/v1/sites/" + site + "/accounts/" + id, new JsonObject().put("name", "Ana")
        .put("email", id + "@example.org").put("language", language), TestGateway.bearer(key));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return id;
  }

  /** The life-cycle jobs once (inactivity, then delivery) on {@code gw}. */
  static void runJobs(TestGateway gw) {
    Map<String, Jobs.Job> jobs = gw.gateway().lifecycle().jobs();
    TestGateway.await(gw.gateway().jobs().runNow("inactivity", jobs.get("inactivity"), false));
    TestGateway.await(gw.gateway().jobs().runNow("mail-delivery", jobs.get("mail-delivery"), false));
  }

  List<Smtp.Message> mails(String account) {
    return smtp.to(account + "@example.org");
  }

  long accounts(String id) {
    return TestStores.count("SELECT count(*) FROM identity.accounts WHERE site_id = ? AND account_id = ?", site, id);
  }

  @Test
  void threeYearsWithoutALoginInviteThenRemindThenDeleteWithAFinalNotice() {
    String fr = account("fr");
    String en = account("en");
    clock.set(T0.plus(Duration.ofDays(3 * 365 - 2)));
    runJobs(a);
    assertEquals(0, mails(fr).size(), "not yet three years");

    clock.set(T0.plus(Duration.ofDays(3 * 365 + 1)));
    runJobs(a);
    List<Smtp.Message> invitation = mails(fr);
    assertEquals(1, invitation.size());
    assertTrue(invitation.get(0).subject().contains("connectez-vous"), invitation.get(0).subject());
    assertTrue(invitation.get(0).text().contains("Bonjour Ana"), invitation.get(0).text());
    assertTrue(mails(en).get(0).subject().contains("log in to keep your account"), "in the holder's language");
    assertTrue(mails(en).get(0).html().contains("<p>"), "an HTML part too");

    runJobs(a);
    runJobs(b);
    assertEquals(1, mails(fr).size(), "nothing sent twice, on either instance");

    clock.advance(Duration.ofDays(16)); // 14 days left: the 15-day reminder
    runJobs(b);
    assertEquals(2, mails(fr).size());
    assertTrue(mails(fr).get(1).subject().contains("dans 15 jours"), mails(fr).get(1).subject());
    clock.advance(Duration.ofDays(12)); // 2 days left: the 3-day reminder
    runJobs(a);
    assertEquals(3, mails(fr).size());
    assertEquals(1, accounts(fr));

    clock.advance(Duration.ofDays(3)); // the grace period is over
    runJobs(a);
    assertEquals(0, accounts(fr), "deleted");
    assertEquals(0, accounts(en));
    List<Smtp.Message> all = mails(fr);
    assertEquals(4, all.size());
    assertTrue(all.get(3).subject().contains("supprimé"), all.get(3).subject());
    runJobs(a);
    runJobs(b);
    assertEquals(4, mails(fr).size(), "the final notice went once");
    assertEquals(0, TestStores.count("SELECT count(*) FROM identity.mail WHERE site_id = ? AND to_address IS NOT NULL",
        site), "a sent e-mail keeps no address");
  }

  @Test
  void aLoginDuringTheGracePeriodCancelsEverything() {
    String id = account("fr");
    clock.set(T0.plus(Duration.ofDays(3 * 365 + 1)));
    runJobs(a);
    assertEquals(1, mails(id).size());
    clock.advance(Duration.ofDays(10));
    assertEquals(200, a.postJson("/v1/sites/" + site + "/accounts/" + id + "/logins", new JsonObject(),
        TestGateway.bearer(key)).statusCode());
    clock.advance(Duration.ofDays(40)); // past the old deadline
    runJobs(a);
    assertEquals(1, accounts(id), "the login ended the process");
    assertEquals(1, mails(id).size(), "no reminder, no deletion notice");
  }

  @Test
  void twoInstancesRunningAtOnceSendOneInvitation() {
    String id = account("en");
    clock.set(T0.plus(Duration.ofDays(3 * 365 + 1)));
    Map<String, Jobs.Job> ja = a.gateway().lifecycle().jobs();
    Map<String, Jobs.Job> jb = b.gateway().lifecycle().jobs();
    TestGateway.await(Future.join(a.gateway().jobs().runNow("inactivity", ja.get("inactivity"), false),
        b.gateway().jobs().runNow("inactivity", jb.get("inactivity"), false)));
    TestGateway.await(Future.join(a.gateway().jobs().runNow("mail-delivery", ja.get("mail-delivery"), false),
        b.gateway().jobs().runNow("mail-delivery", jb.get("mail-delivery"), false)));
    runJobs(a);
    runJobs(b);
    assertEquals(1, mails(id).size());
  }

  @Test
  void aDryRunSaysWhatWouldHappenAndChangesNothing() {
    String id = account("fr");
    clock.set(T0.plus(Duration.ofDays(3 * 365 + 1)));
    Jobs.Report dry = TestGateway.await(a.gateway().jobs().runNow("inactivity",
        a.gateway().lifecycle().jobs().get("inactivity"), true));
    assertTrue(dry.would().stream().anyMatch(w -> w.startsWith("invite " + site)), dry.would().toString());
    assertEquals(0, TestStores.count("SELECT count(*) FROM identity.mail WHERE site_id = ?", site));
    assertEquals(0, TestStores.count("SELECT count(*) FROM identity.accounts WHERE site_id = ? AND "
        + "inactivity_notified_at IS NOT NULL", site));
    assertEquals(0, mails(id).size());
  }
}
