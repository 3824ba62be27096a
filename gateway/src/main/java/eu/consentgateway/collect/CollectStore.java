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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes beacons in batches: one Redis round trip drops event ids seen in the last 24 h, then one
 * transaction (as role cg_terminal) inserts the terminal events and their outbox rows together.
 * A beacon's future completes after that commit, so a 202 always means durable.
 */
final class CollectStore {
  static final String SEEN_PREFIX = "cg:ev:";
  private static final String INSERT_EVENT = """
      INSERT INTO terminal.events (site_id, event_id, received_at, type, name, page, referrer_host, props, browser,
        browser_major, os, os_major, device, mobile, country, in_eu, region, city, language, screen_w, screen_h,
        visitor_hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
      ON CONFLICT (site_id, event_id) DO NOTHING
      """;
  private static final String INSERT_OUTBOX = """
      INSERT INTO ops.outbox (delivery_id, site_id, destination_id, consent_id, purposes, payload, created_at, next_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
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
    return new BatchWriter<>(1024, 2, this::write);
  }

  private Future<List<Void>> write(List<Item> items) {
    return firstSeen(items).compose(fresh -> {
      List<Tuple> events = new ArrayList<>(fresh.size());
      List<Tuple> outbox = new ArrayList<>();
      for (Item item : fresh) {
        events.add(eventTuple(item.event()));
        for (OutboxRow row : item.deliveries()) {
          outbox.add(Tuple.of(row.deliveryId(), row.siteId(), row.destinationId(), row.consentId(),
              row.purposes().toArray(String[]::new), row.payload(), row.createdAt().atOffset(ZoneOffset.UTC)));
        }
      }
      if (events.isEmpty()) {
        return Future.succeededFuture();
      }
      return pool.withTransaction(conn -> {
        Future<Void> done = conn.preparedQuery(INSERT_EVENT).executeBatch(events).mapEmpty();
        return outbox.isEmpty() ? done
            : done.compose(r -> conn.preparedQuery(INSERT_OUTBOX).executeBatch(outbox).<Void>mapEmpty());
      }).recover(e -> forget(fresh).transform(ar -> Future.failedFuture(e)));
    }).map(v -> java.util.Collections.nCopies(items.size(), (Void) null));
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

  private static Tuple eventTuple(TerminalEvent e) {
    return Tuple.from(new Object[] {e.siteId(), e.eventId(), e.receivedAt().atOffset(ZoneOffset.UTC), e.type(), e.name(),
        e.page(), e.referrerHost(), e.props(), e.browser(), e.browserMajor(), e.os(), e.osMajor(), e.device(),
        e.mobile(), e.country(), e.inEu(), e.region(), e.city(), e.language(), e.screenW(), e.screenH(),
        Buffer.buffer(e.visitorHash())});
  }
}
