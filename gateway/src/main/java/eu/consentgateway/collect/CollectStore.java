package eu.consentgateway.collect;

import eu.consentgateway.forward.OutboxRow;
import eu.consentgateway.store.BatchWriter;
import eu.consentgateway.store.WriteHealth;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes beacons in batches: one transaction (as role cg_terminal) inserts the terminal events and their
 * outbox rows together. PostgreSQL alone decides what is a duplicate (the primary key on the event id): a
 * retried beacon whose first attempt is still being written waits for that write and is then skipped, and if
 * that write failed the retry is the one stored. A beacon's future completes after the commit, so a 202
 * always means durable.
 */
final class CollectStore {
  // One statement per batch (one round trip, one commit): the events, then the outbox rows of the events
  // that were new. The join on event_id happens inside the statement; the outbox never stores it.
  private static final String INSERT = """
      WITH new_events AS (
        INSERT INTO terminal.events (site_id, event_id, month, received_at, type, name, page, referrer_host, props,
          browser, browser_major, os, os_major, device, mobile, country, in_eu, region, city, language, screen_w,
          screen_h, visitor_hash)
        SELECT s, e, date_trunc('month', r AT TIME ZONE 'UTC')::date, r, t, n, p, rh, pr, b, bm, o, om, d, mo, c, eu,
               rg, ci, l, sw, sh, vh
          FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
          $7::text[], $8::jsonb[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bool[],
          $15::text[], $16::bool[], $17::text[], $18::text[], $19::text[], $20::int[], $21::int[], $22::bytea[])
            AS u(s, e, r, t, n, p, rh, pr, b, bm, o, om, d, mo, c, eu, rg, ci, l, sw, sh, vh)
        ON CONFLICT (site_id, event_id, month) DO NOTHING
        RETURNING site_id, event_id)
      INSERT INTO ops.outbox (delivery_id, site_id, destination_id, consent_id, purposes, payload, created_at, next_at)
      SELECT o.delivery_id, o.site_id, o.destination_id, o.consent_id, string_to_array(o.purposes, ','), o.payload,
             o.created_at, o.created_at
        FROM unnest($23::uuid[], $24::text[], $25::text[], $26::uuid[], $27::text[], $28::jsonb[],
                    $29::timestamptz[], $30::uuid[])
             AS o(delivery_id, site_id, destination_id, consent_id, purposes, payload, created_at, event_id)
        JOIN new_events e ON e.site_id = o.site_id AND e.event_id = o.event_id
      """;

  // Beacons wait up to 2 ms for others to share their commit (none waits once 128 are queued). Nobody waits for a
  // beacon's answer, and PostgreSQL's cost per commit is that of 15-20 rows: at 17,900 beacons/s offered on 2 cores
  // the batches grew from 8 to 44 rows and PostgreSQL's CPU fell by a third (bench/README.md, 8 December).
  private static final java.time.Duration LINGER = java.time.Duration.ofMillis(2);

  record Item(TerminalEvent event, List<OutboxRow> deliveries) {
  }

  private final Pool pool;

  CollectStore(Pool pool) {
    this.pool = pool;
  }

  BatchWriter<Item, Void> writer(WriteHealth health) {
    return new BatchWriter<>("collect", 1024, 1, LINGER, 128, health, this::write);
  }

  private Future<List<Void>> write(List<Item> items) {
    return pool.preparedQuery(INSERT).execute(columns(items))
        .map(v -> java.util.Collections.nCopies(items.size(), (Void) null));
  }

  private static Tuple columns(List<Item> all) {
    // the same event sent twice into one batch is written once (and its deliveries planned once)
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<Item> items = new ArrayList<>(all.size());
    for (Item item : all) {
      if (seen.add(item.event().siteId() + "\u0000" + item.event().eventId())) {
        items.add(item);
      }
    }
    int n = items.size();
    Object[][] c = {new String[n], new UUID[n], new OffsetDateTime[n], new String[n], new String[n], new String[n],
        new String[n], new JsonObject[n], new String[n], new String[n], new String[n], new String[n], new String[n],
        new Boolean[n], new String[n], new Boolean[n], new String[n], new String[n], new String[n], new Integer[n],
        new Integer[n], new Buffer[n]};
    List<OutboxRow> rows = new ArrayList<>();
    List<UUID> rowEvents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TerminalEvent e = items.get(i).event();
      Object[] v = {e.siteId(), e.eventId(), e.receivedAt().atOffset(ZoneOffset.UTC), e.type(), e.name(), e.page(),
          e.referrerHost(), e.props(), e.browser(), e.browserMajor(), e.os(), e.osMajor(), e.device(), e.mobile(),
          e.country(), e.inEu(), e.region(), e.city(), e.language(), e.screenW(), e.screenH(),
          Buffer.buffer(e.visitorHash())};
      for (int k = 0; k < v.length; k++) {
        c[k][i] = v[k];
      }
      for (OutboxRow row : items.get(i).deliveries()) {
        rows.add(row);
        rowEvents.add(e.eventId());
      }
    }
    int m = rows.size();
    Object[][] o = {new UUID[m], new String[m], new String[m], new UUID[m], new String[m], new JsonObject[m],
        new OffsetDateTime[m], new UUID[m]};
    for (int j = 0; j < m; j++) {
      OutboxRow r = rows.get(j);
      Object[] v = {r.deliveryId(), r.siteId(), r.destinationId(), r.consentId(), String.join(",", r.purposes()),
          r.payload(), r.createdAt().atOffset(ZoneOffset.UTC), rowEvents.get(j)};
      for (int k = 0; k < v.length; k++) {
        o[k][j] = v[k];
      }
    }
    Object[] params = new Object[c.length + o.length];
    System.arraycopy(c, 0, params, 0, c.length);
    System.arraycopy(o, 0, params, c.length, o.length);
    return Tuple.from(params);
  }

}
