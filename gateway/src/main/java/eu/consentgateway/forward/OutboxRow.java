package eu.consentgateway.forward;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One delivery to one destination, as written to {@code ops.outbox} with the event it forwards. */
public record OutboxRow(UUID deliveryId, String siteId, String destinationId, UUID consentId, List<String> purposes,
    JsonObject payload, Instant createdAt) {
}
