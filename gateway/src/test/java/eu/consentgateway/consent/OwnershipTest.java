package eu.consentgateway.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import eu.consentgateway.support.MutableClock;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subject id is not a credential, a revoked token proves nothing, an Idempotency-Key replays only its own
 * request, and a token has one spelling. Each of these was an attack on the shipped gateway.
 */
class OwnershipTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static MutableClock clock = new MutableClock(NOW);
  static TestGateway gw;
  String site;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(clock);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @BeforeEach
  void site() {
    clock.set(NOW);
    site = TestStores.uniqueSite("own");
    gw.createSite(site);
  }

  JsonObject body(boolean statistics) {
    return TestGateway.consentBody(site, "custom", Map.of("statistics", statistics, "prospecting", false));
  }

  long ledger(String subject) {
    return TestStores.count("SELECT count(*) FROM consent.events WHERE site_id = ? AND subject_id = ?::uuid", site,
        subject);
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getString("error"), r.bodyAsString());
  }

  @Test
  void someoneElsesSubjectIdTakesNothingOver() {
    JsonObject victim = gw.consent(body(true));
    String subject = victim.getString("subjectId");
    JsonObject attacker = gw.consent(body(false));

    assertError(gw.postJson("/v1/consents", body(false).put("subjectId", subject), Map.of()), 401,
        "subject_not_proven");
    assertError(gw.postJson("/v1/consents", body(false).put("subjectId", subject),
        TestGateway.bearer(attacker.getString("token"))), 401, "subject_not_proven");
    assertEquals(1, ledger(subject), "the victim's ledger is untouched");
    assertEquals(200, gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(victim.getString("token")))
        .statusCode(), "and the victim's token still stands");

    // with its own token the visitor changes its own choice; the body may repeat its subject
    var own = gw.postJson("/v1/consents", body(false).put("subjectId", subject),
        TestGateway.bearer(victim.getString("token")));
    assertEquals(201, own.statusCode(), own.bodyAsString());
    assertEquals(subject, own.bodyAsJsonObject().getString("subjectId"));
    assertEquals("updated", own.bodyAsJsonObject().getString("event"));
  }

  @Test
  void revokedTokensMintNothing() {
    JsonObject first = gw.consent(body(true));
    String old = first.getString("token");
    var replaced = gw.postJson("/v1/consents", body(false), TestGateway.bearer(old));
    assertEquals(201, replaced.statusCode());
    String subject = first.getString("subjectId");
    long rows = ledger(subject);

    // the replaced token proves no subject, reads no receipt, exports and erases nothing
    assertError(gw.postJson("/v1/consents", body(true), TestGateway.bearer(old)), 401, "token_revoked");
    assertError(gw.get("/v1/consents/" + first.getString("consentId") + "/receipt", TestGateway.bearer(old)), 401,
        "token_revoked");
    assertError(gw.get("/v1/me/export?site=" + site, TestGateway.bearer(old)), 401, "token_revoked");
    assertError(gw.send(io.vertx.core.http.HttpMethod.DELETE, "/v1/me?site=" + site, TestGateway.bearer(old), null),
        401, "token_revoked");
    assertEquals(rows, ledger(subject));

    // withdrawn, then erased: neither token mints anything
    String current = replaced.bodyAsJsonObject().getString("token");
    var withdrawn = gw.postJson("/v1/consents/withdraw", new JsonObject().put("siteId", site),
        TestGateway.bearer(current));
    assertEquals(200, withdrawn.statusCode());
    assertError(gw.postJson("/v1/consents", body(true), TestGateway.bearer(current)), 401, "token_revoked");
    String latest = withdrawn.bodyAsJsonObject().getString("token");
    assertEquals(200, gw.send(io.vertx.core.http.HttpMethod.DELETE, "/v1/me?site=" + site,
        TestGateway.bearer(latest), null).statusCode());
    assertError(gw.postJson("/v1/consents", body(true), TestGateway.bearer(latest)), 401, "token_revoked");
    assertEquals(0, ledger(subject), "nothing was written for the erased subject");
  }

  @Test
  void anIdempotencyKeyReplaysOnlyItsOwnRequest() {
    String key = "key-" + UUID.randomUUID();
    var first = gw.postJson("/v1/consents", body(true), Map.of("Idempotency-Key", key));
    assertEquals(201, first.statusCode());
    var again = gw.postJson("/v1/consents", body(true), Map.of("Idempotency-Key", key));
    assertEquals(200, again.statusCode(), "the same request again: the same record");
    assertEquals(first.bodyAsJsonObject().getString("consentId"), again.bodyAsJsonObject().getString("consentId"));

    assertError(gw.postJson("/v1/consents", body(false), Map.of("Idempotency-Key", key)), 422,
        "idempotency_key_reused");
    Map<String, String> withToken = new HashMap<>(TestGateway.bearer(gw.consent(body(false)).getString("token")));
    withToken.put("Idempotency-Key", key);
    assertError(gw.postJson("/v1/consents", body(true), withToken), 422, "idempotency_key_reused");

    // another site's request may use the same key: keys are scoped to their site
    String other = TestStores.uniqueSite("own-other");
    gw.createSite(other);
    var elsewhere = gw.postJson("/v1/consents", TestGateway.consentBody(other, "reject_all", Map.of()),
        Map.of("Idempotency-Key", key));
    assertEquals(201, elsewhere.statusCode());
    assertNotEquals(first.bodyAsJsonObject().getString("consentId"), elsewhere.bodyAsJsonObject().getString("consentId"));

    clock.set(NOW.plus(Duration.ofHours(25)));
    assertError(gw.postJson("/v1/consents", body(true), Map.of("Idempotency-Key", key)), 422,
        "idempotency_key_expired");
  }

  @Test
  void aReplayOfAReplacedConsentGivesNoToken() {
    String key = "key-" + UUID.randomUUID();
    var first = gw.postJson("/v1/consents", body(true), Map.of("Idempotency-Key", key));
    assertEquals(201, first.statusCode());
    assertEquals(201, gw.postJson("/v1/consents", body(false),
        TestGateway.bearer(first.bodyAsJsonObject().getString("token"))).statusCode());
    assertError(gw.postJson("/v1/consents", body(true), Map.of("Idempotency-Key", key)), 409, "conflict");
  }

  @Test
  void onlyTheCanonicalSpellingOfATokenVerifies() {
    String token = gw.consent(body(true)).getString("token");
    assertEquals(200, gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(token)).statusCode());
    String[] parts = token.split("\\.");
    String signature = parts[3];
    // 32 bytes in 43 characters: the last one carries 2 unused low bits
    char last = signature.charAt(signature.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String[] variants = {
        token + "=",
        parts[0] + "." + parts[1] + "." + parts[2] + "." + signature.substring(0, signature.length() - 1) + sibling,
        parts[0] + "." + parts[1] + "." + parts[2] + "=." + signature,
    };
    for (String variant : variants) {
      assertError(gw.get("/v1/consents/current?site=" + site, TestGateway.bearer(variant)), 401, "invalid_token");
    }
  }
}
