package eu.consentgateway.site;

import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import eu.consentgateway.store.Contexts;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.store.RedisBus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every feature's view of the configured sites: cached, invalidated on all instances through Redis when an
 * operator changes a site, and re-read from PostgreSQL at most a few seconds later if Redis is down. A copy
 * older than {@link #FRESH} is still served while one read refreshes it, and callers that miss together share
 * one read: a busy gateway reads each site once every few seconds, not once per request that arrived while the
 * copy was being re-read.
 */
public final class SiteRegistry {
  static final String CHANNEL = "sites";
  /** How long a copy is served without a read: past that, one read refreshes it while it is still served. */
  static final Duration FRESH = Duration.ofSeconds(5);
  /** How long an unrefreshed copy is kept: a lookup after that reads the site first. */
  public static final Duration KEPT = FRESH.multipliedBy(2);
  private static final String ALL_ORIGINS = "SELECT config -> 'origins' AS origins FROM ops.sites";
  private static final String ALL_IDS = "SELECT site_id FROM ops.sites ORDER BY site_id";

  private final SiteStore store;
  private final Pool pool;
  private final RedisBus bus;
  private final Clock clock;
  private final Cache<String, Entry> cache;
  /** The read under way for each site, which every lookup that misses meanwhile joins. */
  private final Map<String, Future<Optional<Site>>> loading = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();
  private volatile Set<String> allOrigins = Set.of();

  private record Entry(Optional<Site> site, long readAt) {
  }

  public SiteRegistry(Vertx vertx, Pool pool, RedisBus bus, Clock clock) {
    this.store = new SiteStore(pool);
    this.pool = pool;
    this.bus = bus;
    this.clock = clock;
    // past KEPT (no lookup refreshed it) a copy is read again before it is served
    this.cache = Caches.builder().maximumSize(10_000).expireAfterWrite(KEPT).build();
    bus.listen(CHANNEL, this::forget);
    bus.onResubscribe(() -> {
      loading.clear();
      cache.invalidateAll();
    });
    vertx.setPeriodic(5_000, id -> refreshOrigins());
  }

  public Future<Void> start() {
    return refreshOrigins();
  }

  /** The site, or a 404 naming it. */
  public Future<Site> require(String siteId) {
    return find(siteId).compose(site -> site.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new ApiError(404, "unknown_site", "no site '" + safe(siteId) + "'"))));
  }

  public Future<Optional<Site>> find(String siteId) {
    if (siteId == null || !SiteValidator.SITE_ID.matcher(siteId).matches()) {
      return Future.succeededFuture(Optional.empty());
    }
    Entry cached = cache.getIfPresent(siteId);
    if (cached != null) {
      if (System.nanoTime() - cached.readAt() >= FRESH.toNanos()) {
        read(siteId);
      }
      return Future.succeededFuture(cached.site());
    }
    return onCallersContext(read(siteId));
  }

  /** How many times a site was read from PostgreSQL (for tests). */
  long reads() {
    return reads.get();
  }

  /** Reads a site, or joins the read of it already under way. */
  private Future<Optional<Site>> read(String siteId) {
    Promise<Optional<Site>> mine = Promise.promise();
    Future<Optional<Site>> running = loading.putIfAbsent(siteId, mine.future());
    if (running != null) {
      return running;
    }
    reads.incrementAndGet();
    store.load(siteId).onComplete(ar -> {
      // forget() drops a read under way: what it found may predate the change it was told of
      boolean current = loading.remove(siteId, mine.future());
      if (ar.failed()) {
        cache.invalidate(siteId);
      } else if (current) {
        cache.put(siteId, new Entry(ar.result(), System.nanoTime()));
      }
      mine.handle(ar);
    });
    return mine.future();
  }

  /** A shared read completes on the context of the caller that started it; each other caller gets it on its own. */
  private static <T> Future<T> onCallersContext(Future<T> shared) {
    Context context = Vertx.currentContext();
    Promise<T> here = Promise.promise();
    shared.onComplete(ar -> Contexts.run(context, () -> here.handle(ar)));
    return here.future();
  }

  /** Every configured site (for jobs that go through all of them), read in one query. */
  public Future<java.util.List<Site>> all() {
    return pool.query(ALL_IDS).execute().compose(rows -> {
      java.util.List<String> ids = new java.util.ArrayList<>();
      rows.forEach(row -> ids.add(row.getString("site_id")));
      return some(ids);
    });
  }

  /** The sites among {@code ids} that exist, from the cache or in one query for those not cached. */
  public Future<java.util.List<Site>> some(java.util.Collection<String> ids) {
    java.util.List<Site> out = new java.util.ArrayList<>();
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (String id : ids) {
      Entry cached = cache.getIfPresent(id);
      if (cached != null) {
        cached.site().ifPresent(out::add);
      } else if (SiteValidator.SITE_ID.matcher(id).matches()) {
        missing.add(id);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture(out);
    }
    return store.load(missing).map(loaded -> {
      loaded.forEach(s -> {
        cache.put(s.id(), new Entry(Optional.of(s), System.nanoTime()));
        out.add(s);
      });
      out.sort(java.util.Comparator.comparing(Site::id));
      return out;
    });
  }

  /** Whether any site lists this origin; answers CORS pre-flights, which carry no site id. */
  public boolean anySiteAllows(String origin) {
    return allOrigins.contains(origin);
  }

  /** Stores a site document as the operator API would; used to seed the demo site on every start. */
  public Future<Site> seed(String siteId, JsonObject document) {
    return store.put(siteId, SiteValidator.normalise(siteId, document), clock.instant())
        .compose(v -> changed(siteId)).compose(v -> require(siteId));
  }

  SiteStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  /** Drops this instance's copy and tells every other instance to do the same. */
  Future<Void> changed(String siteId) {
    forget(siteId);
    return Future.join(bus.publish(CHANNEL, siteId).recover(e -> Future.succeededFuture()), refreshOrigins())
        .mapEmpty();
  }

  private void forget(String siteId) {
    loading.remove(siteId);
    cache.invalidate(siteId);
  }

  private Future<Void> refreshOrigins() {
    return pool.query(ALL_ORIGINS).execute().map(rows -> {
      Set<String> origins = new HashSet<>();
      rows.forEach(row -> ((JsonArray) row.getJson("origins")).forEach(o -> origins.add((String) o)));
      allOrigins = Set.copyOf(origins);
      return (Void) null;
    }).recover(e -> Future.succeededFuture());
  }

  /** A caller-supplied id made safe to echo in a message. */
  public static String safe(String text) {
    if (text == null) {
      return "";
    }
    String cut = text.length() > 64 ? text.substring(0, 64) : text;
    return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
  }

  JsonObject describe(Site site) {
    return site.stored().copy().put("siteId", site.id());
  }
}
