package eu.consentgateway.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 13-month rule across visits months apart, with a clock the test moves. */
class ExpiryRuleTest {
  static final Instant FIRST_DEPOSIT = Instant.parse("2026-01-31T10:00:00Z");
  static MutableClock clock;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    clock = new MutableClock(FIRST_DEPOSIT.minus(Duration.ofDays(1)));
    gw = TestGateway.start(clock);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  /** A new site published the day before the first deposit, with the clock then set to the first deposit. */
  private String siteBeforeFirstDeposit(String prefix) {
    String site = TestStores.uniqueSite(prefix);
    clock.set(FIRST_DEPOSIT.minus(Duration.ofDays(1)));
    gw.createSite(site);
    clock.set(FIRST_DEPOSIT);
    return site;
  }

  /** A consent; a returning visitor ({@code previous} not null) proves its subject with its latest token. */
  private JsonObject consent(String siteId, JsonObject previous, String method, boolean stats) {
    boolean all = method.equals("accept_all");
    JsonObject body = TestGateway.consentBody(siteId, method, Map.of("statistics", stats || all, "prospecting", all));
    if (previous == null) {
      return gw.consent(body);
    }
    var response = gw.postJson("/v1/consents", body, TestGateway.bearer(previous.getString("token")));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  @Test
  void firstDepositFixesExpiryThirteenCalendarMonthsLaterAndLaterVisitsNeverExtendIt() {
    String site = siteBeforeFirstDeposit("expiry");

    JsonObject first = consent(site, null, "accept_all", true);
    // 31 January + 13 calendar months = 28 February of the year after next (clamped to month end)
    assertEquals("2027-02-28T10:00:00Z", first.getString("expiresAt"));
    assertEquals("given", first.getString("event"));
    String subject = first.getString("subjectId");

    clock.advanceMonths(6); // revisit: the banner is not shown, a re-consent keeps the same expiry
    JsonObject revisit = consent(site, first, "accept_all", true);
    assertEquals(first.getString("expiresAt"), revisit.getString("expiresAt"));
    assertEquals("updated", revisit.getString("event"));

    clock.advanceMonths(6); // update at 12 months: still the same expiry
    JsonObject update = consent(site, revisit, "custom", false);
    assertEquals(first.getString("expiresAt"), update.getString("expiresAt"));
    assertEquals(false, update.getJsonObject("choices").getBoolean("statistics"));

    // the 13-month mark passes: the old token stops working, the next consent starts a new period
    clock.set(Instant.parse(first.getString("expiresAt")).plusSeconds(1));
    var current = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(update.getString("token")));
    assertEquals(401, current.statusCode());
    assertEquals("token_expired", current.bodyAsJsonObject().getString("error"));
    // an expired (but never replaced) token still proves whose consent it was: the ledger keeps one subject
    JsonObject renewed = consent(site, update, "reject_all", false);
    assertEquals("given", renewed.getString("event"));
    assertEquals(clock.instant().atZone(java.time.ZoneOffset.UTC).plusMonths(13).toInstant().toString(),
        renewed.getString("expiresAt"));
    assertEquals(subject, renewed.getString("subjectId"));
  }

  @Test
  void consentGivenInTheSameSecondAsThePolicyIsNotAskedAgain() {
    String site = TestStores.uniqueSite("expiry-s");
    clock.set(Instant.parse("2026-03-01T10:00:00.600Z"));
    gw.createSite(site); // publishes the first (substantial) version at .600
    clock.set(Instant.parse("2026-03-01T10:00:00.900Z")); // token period starts are whole seconds: 10:00:00
    JsonObject c = consent(site, null, "accept_all", true);
    var current = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(c.getString("token")));
    assertEquals(200, current.statusCode(), current.bodyAsString());
    assertEquals(false, current.bodyAsJsonObject().getBoolean("renewRequired"));
  }

  @Test
  void withdrawalKeepsTheExpiryOfTheRunningPeriod() {
    String site = siteBeforeFirstDeposit("expiry-w");
    JsonObject first = consent(site, null, "accept_all", true);
    clock.advanceMonths(3);
    var withdrawn = gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(first.getString("token")));
    assertEquals(200, withdrawn.statusCode(), withdrawn.bodyAsString());
    assertEquals(first.getString("expiresAt"), withdrawn.bodyAsJsonObject().getString("expiresAt"));
    assertEquals("withdrawn", withdrawn.bodyAsJsonObject().getString("event"));
    assertEquals(false, withdrawn.bodyAsJsonObject().getJsonObject("choices").getBoolean("statistics"));
    assertEquals(true, withdrawn.bodyAsJsonObject().getJsonObject("choices").getBoolean("necessary"));
  }

  @Test
  void substantialPolicyVersionStartsANewPeriodAndAsksAgain() {
    String site = siteBeforeFirstDeposit("expiry-p");
    JsonObject first = consent(site, null, "accept_all", true);

    clock.advanceMonths(2);
    var minor = gw.postJson("/v1/admin/sites/" + site + "/policy",
        new JsonObject().put("version", "2026-12").put("substantial", false), TestGateway.admin());
    assertEquals(201, minor.statusCode(), minor.bodyAsString());
    clock.advanceMonths(1);
    JsonObject afterMinor = consent(site, first, "accept_all", true);
    assertEquals(first.getString("expiresAt"), afterMinor.getString("expiresAt"), "a minor version keeps the period");

    clock.advanceMonths(1);
    var major = gw.postJson("/v1/admin/sites/" + site + "/policy",
        new JsonObject().put("version", "2027-03").put("substantial", true), TestGateway.admin());
    assertEquals(201, major.statusCode(), major.bodyAsString());
    var current = gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(afterMinor.getString("token")));
    assertEquals(200, current.statusCode(), current.bodyAsString());
    assertTrue(current.bodyAsJsonObject().getBoolean("renewRequired"), "the banner must ask again");

    clock.advanceMonths(1);
    JsonObject body = TestGateway.consentBody(site, "accept_all", Map.of("statistics", true, "prospecting", true))
        .put("policyVersion", "2027-03");
    var response = gw.postJson("/v1/consents", body, TestGateway.bearer(afterMinor.getString("token")));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    JsonObject renewed = response.bodyAsJsonObject();
    assertEquals(first.getString("subjectId"), renewed.getString("subjectId"), "the same subject, asked again");
    assertEquals("given", renewed.getString("event"));
    assertNotEquals(first.getString("expiresAt"), renewed.getString("expiresAt"));
    assertEquals(clock.instant().atZone(java.time.ZoneOffset.UTC).plusMonths(13).toInstant().toString(),
        renewed.getString("expiresAt"));
  }
}
