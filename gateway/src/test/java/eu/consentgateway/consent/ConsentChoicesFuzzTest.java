package eu.consentgateway.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consent request's method and choices against a site's purposes, with or without Global Privacy Control.
 * Input: byte 0 picks the optional purposes the site has (bit i: {@link #OPTIONAL}[i]), byte 1 which of them GPC
 * covers, bit 0 of byte 2 is {@code Sec-GPC: 1}; the rest is the JSON body. Seeds: {@code ConsentChoicesFuzzTestInputs}.
 */
class ConsentChoicesFuzzTest {
  private static final List<String> OPTIONAL = List.of("statistics", "prospecting", "marketing", "functional",
      "personalisation");

  @FuzzTest
  void choices(byte[] input) {
    byte[] head = Arrays.copyOf(input, 3);
    Site site = site(head[0], head[1]);
    boolean signal = (head[2] & 1) == 1;
    Buffer body = Buffer.buffer(input.length > 3 ? Arrays.copyOfRange(input, 3, input.length) : new byte[0]);
    String method;
    JsonObject given;
    try {
      JsonObject o = Bodies.parseObject(body);
      method = Bodies.string(o, "method", true, 16);
      given = Bodies.object(o, "choices", true);
    } catch (ApiError e) {
      assertEquals(400, e.status());
      return;
    }
    String refusal = refusal(site, method, given);
    ConsentChoices decided;
    try {
      decided = ConsentChoices.resolve(site, method, given, signal);
    } catch (ApiError e) {
      assertEquals(400, e.status());
      assertEquals(refusal, e.code(), "refused for the wrong reason: " + e.getMessage());
      return;
    }
    if (refusal != null) {
      fail("accepted what should be refused (" + refusal + "): " + method + " " + given.encode());
    }
    check(site, method, given, signal, decided);
  }

  /** The 400 the request deserves, or null. */
  private static String refusal(Site site, String method, JsonObject given) {
    if (!ConsentChoices.METHODS.contains(method)) {
      return "invalid_method";
    }
    for (String key : given.fieldNames()) {
      if (site.purpose(key).isEmpty()) {
        return "unknown_purpose";
      }
      if (!(given.getValue(key) instanceof Boolean)) {
        return "invalid_field";
      }
    }
    for (Purpose p : site.purposes()) {
      boolean asked = Boolean.TRUE.equals(given.getValue(p.id()));
      if (method.equals("accept_all") && !p.required() && !asked) {
        return "inconsistent_choices";
      }
      if ((method.equals("reject_all") || method.equals("dismiss")) && !p.required() && asked) {
        return "inconsistent_choices";
      }
    }
    return null;
  }

  private static void check(Site site, String method, JsonObject given, boolean signal, ConsentChoices decided) {
    boolean gpc = signal || method.equals("gpc");
    assertEquals(gpc, decided.gpc());
    Map<String, Boolean> choices = decided.choices();
    assertEquals(site.purposes().size(), choices.size(), "one choice per purpose: " + choices);
    boolean narrowedByGpc = false;
    for (Purpose p : site.purposes()) {
      Boolean granted = choices.get(p.id());
      if (p.required()) {
        assertEquals(Boolean.TRUE, granted, p.id() + " is always granted");
        continue;
      }
      boolean refusedByGpc = gpc && p.gpc();
      boolean asked = Boolean.TRUE.equals(given.getValue(p.id()));
      narrowedByGpc |= refusedByGpc && asked;
      switch (method) {
        case "accept_all" -> assertEquals(!refusedByGpc, granted, "accept_all grants " + p.id());
        case "reject_all", "dismiss" -> assertEquals(false, granted, method + " grants only required purposes");
        default -> assertEquals(asked && !refusedByGpc, granted, method + ": " + p.id());
      }
    }
    String recorded = method.equals("accept_all") && narrowedByGpc ? "gpc" : method;
    assertEquals(recorded, decided.method(), "the method recorded as proof");
    assertTrue(ConsentChoices.METHODS.contains(decided.method()));
    assertFalse(decided.method().equals("accept_all") && choices.containsValue(false),
        "an accept_all record grants everything");
  }

  private static Site site(byte purposes, byte gpc) {
    List<Purpose> list = new ArrayList<>();
    list.add(purpose(Purpose.NECESSARY, true, false));
    for (int i = 0; i < OPTIONAL.size(); i++) {
      if ((purposes >> i & 1) == 1) {
        list.add(purpose(OPTIONAL.get(i), false, (gpc >> i & 1) == 1));
      }
    }
    return new Site("fuzz", "Fuzz", List.of("https://fuzz.example"), "v1", null, Set.of("v1"), Instant.EPOCH,
        List.copyOf(list), List.of("en"), new JsonObject(), new JsonArray(), Map.of("en", "hash"),
        ZoneId.of("Europe/Paris"), 5, new Site.Widget(false, null), null, false, new JsonObject());
  }

  private static Purpose purpose(String id, boolean required, boolean gpc) {
    return new Purpose(id, required, gpc, Map.of("en", id), Map.of(), List.of(), List.of());
  }
}
