package eu.consentgateway.forward;

import eu.consentgateway.site.Site;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Decides which of a site's destinations an event goes to: those whose every purpose the visitor granted. */
public final class Outbox {
  private Outbox() {
  }

  public static List<OutboxRow> plan(Site site, Set<String> granted, UUID consentId, JsonObject payload, Instant now) {
    JsonArray destinations = site.destinations();
    if (destinations == null || destinations.isEmpty()) {
      return List.of();
    }
    List<OutboxRow> rows = new ArrayList<>(destinations.size());
    for (Object o : destinations) {
      JsonObject d = (JsonObject) o;
      List<String> purposes = new ArrayList<>();
      d.getJsonArray("purposes").forEach(p -> purposes.add((String) p));
      if (granted.containsAll(purposes)) {
        rows.add(new OutboxRow(UUID.randomUUID(), site.id(), d.getString("id"), consentId, List.copyOf(purposes),
            payload, now));
      }
    }
    return rows;
  }
}
