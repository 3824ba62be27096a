package eu.consentgateway.collect;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** One row of {@code terminal.events}: technical data only, joined to no one. */
record TerminalEvent(String siteId, UUID eventId, Instant receivedAt, String type, String name, String page,
    String referrerHost, JsonObject props, String browser, String browserMajor, String os, String osMajor,
    String device, Boolean mobile, String country, Boolean inEu, String region, String city, String language,
    Integer screenW, Integer screenH, byte[] visitorHash) {
}
