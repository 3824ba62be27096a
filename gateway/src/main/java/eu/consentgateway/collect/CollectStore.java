package eu.consentgateway.collect;

import eu.consentgateway.forward.OutboxRow;
import eu.consentgateway.store.BatchWriter;
import eu.consentgateway.store.RedisBus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes beacons in batches: one Redis round trip drops event ids seen in the last 24 h, then one
 * transaction (as role cg_terminal) inserts the terminal events and their outbox rows together.
 * A beacon's future completes after that commit, so a 202 always means durable.
 */
final class CollectStore {
  static final String SEEN_PREFIX = "cg:ev:";
  // One statement per batch (one round trip, one commit): the events, then the outbox rows of the events
  // that were new. The join on event_id happens inside the statement; the outbox never stores it.
  private static final String INSERT = """
      WITH new_events AS (
        INSERT INTO terminal.events (site_id, event_id, received_at, type, name, page, referrer_host, props, browser,
          browser_major, os, os_major, device, mobile, country, in_eu, region, city, language, screen_w, screen_h,
          visitor_hash)
        SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
          $7::text[], $8::jsonb[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bool[],
          $15::text[], $16::bool[], $17::text[], $18::text[], $19::text[], $20::int[], $21::int[], $22::bytea[])
        ON CONFLICT (site_id, event_id) DO NOTHING
        RETURNING site_id, event_id)
      INSERT INTO ops.outbox (delivery_id, site_id, destination_id, consent_id, purposes, payload, created_at, next_at)
      SELECT o.delivery_id, o.site_id, o.destination_id, o.consent_id, string_to_array(o.purposes, ','), o.payload,
             o.created_at, o.created_at
        FROM unnest($23::uuid[], $24::text[], $25::text[], $26::uuid[], $27::text[], $28::jsonb[],
                    $29::timestamptz[], $30::uuid[])
             AS o(delivery_id, site_id, destination_id, consent_id, purposes, payload, created_at, event_id)
        JOIN new_events e ON e.site_id = o.site_id AND e.event_id = o.event_id
      """;

  record Item(TerminalEvent event, List<OutboxRow> deliveries) {
  }

  private final Pool pool;
  private final RedisBus redis;

  CollectStore(Pool pool, RedisBus redis) {
    this.pool = pool;
    this.redis = redis;
  }

  BatchWriter<Item, Void> writer() {
    return new BatchWriter<>(1024, 1, this::write);
  }

  private Future<List<Void>> write(List<Item> items) {
    return firstSeen(items).compose(fresh -> fresh.isEmpty() ? Future.succeededFuture()
        : pool.preparedQuery(INSERT).execute(columns(fresh)).<Void>mapEmpty()
            .recover(e -> forget(fresh).transform(ar -> Future.failedFuture(e))))
        .map(v -> java.util.Collections.nCopies(items.size(), (Void) null));
  }

  private static Tuple columns(List<Item> items) {
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
    Object[] all = new Object[c.length + o.length];
    System.arraycopy(c, 0, all, 0, c.length);
    System.arraycopy(o, 0, all, c.length, o.length);
    return Tuple.from(all);
  }

  /** The items whose event id Redis had not seen in 24 h; all of them when Redis does not answer. */
  private Future<List<Item>> firstSeen(List<Item> items) {
    List<Request> marks = new ArrayList<>(items.size());
    for (Item item : items) {
      marks.add(Request.cmd(Command.SET).arg(key(item.event())).arg("1").arg("NX").arg("EX").arg(86_400));
    }
    return redis.batch(marks).map(replies -> {
      List<Item> fresh = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Response r = replies.get(i);
        if (r != null) {
          fresh.add(items.get(i));
        }
      }
      return fresh;
    }).recover(e -> Future.succeededFuture(items));
  }

  /** The write failed: un-mark the ids so the page's retry is not taken for a duplicate. */
  private Future<Void> forget(List<Item> items) {
    Request del = Request.cmd(Command.DEL);
    items.forEach(i -> del.arg(key(i.event())));
    return items.isEmpty() ? Future.succeededFuture()
        : redis.batch(List.of(del)).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  private static String key(TerminalEvent e) {
    return SEEN_PREFIX + e.siteId() + ":" + e.eventId();
  }

}
