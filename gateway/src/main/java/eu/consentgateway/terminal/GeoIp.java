package eu.consentgateway.terminal;

import com.github.benmanes.caffeine.cache.Cache;
import eu.consentgateway.store.Caches;
import com.maxmind.db.Reader.FileMode;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Country;
import com.maxmind.geoip2.record.Subdivision;
import eu.consentgateway.config.ConfigException;
import eu.consentgateway.forward.EuRegions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IP-derived geography from a GeoIP2/GeoLite2 City or Country database, cached, and reloaded when the file
 * on disk changes; without a database every address is {@link Location#UNKNOWN}.
 */
public final class GeoIp {
  /**
   * Where an address is. {@link #UNKNOWN} has null fields: turning that into the key "unknown" in JSON or
   * statistics is the caller's job, so that no real country code can be confused with a placeholder.
   */
  public record Location(String country, boolean eu, String region, String city) {
    public static final Location UNKNOWN = new Location(null, false, null, null);

    public boolean known() {
      return country != null;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(GeoIp.class);
  private static final long POLL_MS = 5_000;
  // lookups already under way on a retired reader get this long to finish before it is closed
  private static final long RETIRE_MS = 30_000;
  private static final int CACHE_SIZE = 100_000;

  /** One opened file with its own cache, so a swap replaces both at once and no stale entry survives it. */
  private record Loaded(DatabaseReader reader, boolean city, Cache<InetAddress, Location> cache) {
  }

  private final Vertx vertx;
  private final Path path;
  private final AtomicReference<Loaded> current;
  private final Set<DatabaseReader> retired = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Future<Void>> inFlight = new AtomicReference<>();
  private final long timer;
  // the file version last seen, loaded or not, so that a broken file is tried once and not every poll
  private volatile long seenModified;
  private volatile long seenSize;
  private volatile String lastProblem;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicInteger generation = new java.util.concurrent.atomic.AtomicInteger();

  private GeoIp(Vertx vertx, Path path, Loaded first, BasicFileAttributes attrs) {
    this.vertx = vertx;
    this.path = path;
    this.current = new AtomicReference<>(first);
    if (attrs != null) {
      seenModified = attrs.lastModifiedTime().toMillis();
      seenSize = attrs.size();
    }
    this.timer = path == null ? -1 : vertx.setPeriodic(POLL_MS, id -> poll());
  }

  /**
   * Opens the database named by {@code CG_GEOIP_DB}, or none. Called once at start-up, before traffic: the
   * open only maps the file and reads its metadata.
   */
  public static GeoIp open(Vertx vertx, Optional<Path> db) {
    if (db.isEmpty()) {
      return new GeoIp(vertx, null, null, null);
    }
    Path path = db.get();
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      return new GeoIp(vertx, path, load(path), attrs);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("CG_GEOIP_DB", "not a readable GeoIP2 database: " + path + " (" + e.getMessage() + ")");
    }
  }

  /** Where a (truncated) address is; never throws, and answers {@link Location#UNKNOWN} when it cannot say. */
  public Location locate(InetAddress address) {
    Loaded db = current.get();
    if (db == null || address == null) {
      return Location.UNKNOWN;
    }
    return db.cache.get(address, a -> lookup(db, a));
  }

  /** Changes each time a new database file is loaded, so derived answers (EU verdicts) can be dropped. */
  public int generation() {
    return generation.get();
  }

  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    Loaded db = current.getAndSet(null);
    if (db != null) {
      db.cache.invalidateAll();
      closeQuietly(db.reader);
    }
    retired.forEach(GeoIp::closeQuietly);
    retired.clear();
  }

  private static Location lookup(Loaded db, InetAddress address) {
    try {
      if (db.city) {
        return db.reader.tryCity(address).map(GeoIp::fromCity).orElse(Location.UNKNOWN);
      }
      return db.reader.tryCountry(address).map(r -> from(r.country(), null, null)).orElse(Location.UNKNOWN);
    } catch (Exception | InternalError e) {
      // a corrupt file, or one truncated in place under the memory map (InternalError), must not fail a beacon
      LOG.debug("geoip lookup failed [reason={}]", e.toString());
      return Location.UNKNOWN;
    }
  }

  private static Location fromCity(CityResponse r) {
    Subdivision sub = r.mostSpecificSubdivision();
    String region = sub == null ? null : sub.isoCode() != null ? sub.isoCode() : sub.getName();
    return from(r.country(), region, r.city() == null ? null : r.city().getName());
  }

  private static Location from(Country country, String region, String city) {
    if (country == null || country.isoCode() == null) {
      return Location.UNKNOWN;
    }
    // older or third-party databases may lack is_in_european_union; the member list is the fallback
    boolean eu = country.isInEuropeanUnion() || EuRegions.isMember(country.isoCode());
    return new Location(country.isoCode(), eu, region, city);
  }

  private static Loaded load(Path path) throws IOException {
    DatabaseReader reader = new DatabaseReader.Builder(path.toFile()).fileMode(FileMode.MEMORY_MAPPED).build();
    String type = reader.metadata().databaseType();
    // Country databases refuse the city method; City and Enterprise databases answer both
    boolean city = type.contains("City") || type.contains("Enterprise");
    if (!city && !type.contains("Country")) {
      closeQuietly(reader);
      throw new IOException("database type " + type + " holds no country");
    }
    LOG.info("geoip database opened [type={}] [built={}]", type, reader.metadata().buildTime());
    return new Loaded(reader, city, Caches.builder().maximumSize(CACHE_SIZE).build());
  }

  /**
   * Reloads when the file's time or size changed. Replace the file by renaming a complete copy over it, as
   * geoipupdate does: rewriting it in place pulls pages out from under the memory map. Returns the check in
   * progress if there is one, so that a caller (the timer, or a test) never runs two at once.
   */
  Future<Void> poll() {
    Promise<Void> promise = Promise.promise();
    if (path == null || closed || !inFlight.compareAndSet(null, promise.future())) {
      Future<Void> running = inFlight.get();
      return running != null ? running : Future.succeededFuture();
    }
    vertx.fileSystem().props(path.toString())
        .compose(props -> changed(props) ? reload() : Future.<Void>succeededFuture())
        .onComplete(done -> {
          inFlight.set(null);
          String problem = done.failed() ? String.valueOf(done.cause().getMessage()) : null;
          if (problem != null && !problem.equals(lastProblem)) {
            LOG.warn("geoip database not reloaded, keeping the previous one [reason={}]", problem);
          }
          lastProblem = problem;
          promise.handle(done);
        });
    return promise.future();
  }

  private boolean changed(FileProps props) {
    if (props.lastModifiedTime() == seenModified && props.size() == seenSize) {
      return false;
    }
    seenModified = props.lastModifiedTime();
    seenSize = props.size();
    return true;
  }

  private Future<Void> reload() {
    return vertx.executeBlocking(() -> load(path), false)
        .map(fresh -> {
          Loaded old = current.get();
          if (closed || old == null || !current.compareAndSet(old, fresh)) {
            closeQuietly(fresh.reader);
            return null;
          }
          old.cache.invalidateAll();
          generation.incrementAndGet();
          retired.add(old.reader);
          vertx.setTimer(RETIRE_MS, id -> {
            if (retired.remove(old.reader)) {
              closeQuietly(old.reader);
            }
          });
          return null;
        });
  }

  private static void closeQuietly(DatabaseReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      LOG.debug("geoip reader close failed [reason={}]", e.getMessage());
    }
  }
}
