package eu.consentgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis for what may be lost and rebuilt: commands through a pooled client, and one subscriber
 * connection that fans messages out to listeners (revocations, site changes) and reconnects by itself.
 * While the subscription is down, {@link #subscribed()} is false and callers fall back to PostgreSQL. A
 * subscription that merely looks open (a frozen server, a dropped network) is caught by a heartbeat this
 * instance publishes to itself every {@link #HEARTBEAT_MS}: without one for {@link #SILENCE_MS}, it counts as lost.
 */
public final class RedisBus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBus.class);

  private final Vertx vertx;
  private final Redis client;
  private final RedisAPI api;
  private final String prefix;
  private final long timeoutMs;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private volatile RedisConnection subscriber;
  private volatile boolean subscribed;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean reconnecting = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<Runnable> onResubscribe = new CopyOnWriteArrayList<>();
  static final long HEARTBEAT_MS = 250;
  static final long SILENCE_MS = 1_000;
  private final String heartbeat = "hb:" + java.util.UUID.randomUUID();
  private volatile long lastHeard;
  private long heartbeatTimer = -1;

  /**
   * {@code prefix} starts every key and channel, so deployments sharing one Redis never see each other's data;
   * every command gives up after {@code timeout}, and callers then go on as if Redis were down.
   */
  public RedisBus(Vertx vertx, String url, String prefix, java.time.Duration timeout) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.timeoutMs = timeout.toMillis();
    this.client = Redis.createClient(vertx, options(url)
        .setMaxPoolSize(16).setMaxPoolWaiting(4096).setMaxWaitingHandlers(8192)
        .setPoolName("cg-redis").setMetricsName("cg-redis"));
    this.api = RedisAPI.api(client);
  }

  /**
   * {@code redis://…} or {@code rediss://…} for one server; {@code redis-sentinel://[:password@]h1:26379,h2:26379/name}
   * for the master that Sentinel names, followed across failovers (commands and the subscription alike).
   */
  static RedisOptions options(String url) {
    if (!url.startsWith("redis-sentinel://")) {
      return new RedisOptions().setConnectionString(url);
    }
    String rest = url.substring("redis-sentinel://".length());
    String password = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String auth = rest.substring(0, at);
      password = auth.startsWith(":") ? auth.substring(1) : auth;
      rest = rest.substring(at + 1);
    }
    int slash = rest.indexOf('/');
    RedisOptions o = new RedisOptions().setType(io.vertx.redis.client.RedisClientType.SENTINEL)
        .setMasterName(rest.substring(slash + 1)).setRole(io.vertx.redis.client.RedisRole.MASTER);
    for (String host : rest.substring(0, slash).split(",")) {
      o.addConnectionString("redis://" + host);
    }
    if (password != null && !password.isEmpty()) {
      o.setPassword(java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8));
    }
    return o;
  }

  /** The deployment's name for a key or channel. */
  public String key(String name) {
    return prefix + name;
  }

  /** One command, bounded in time. */
  public Future<Response> send(Request request) {
    return client.send(request).timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public boolean subscribed() {
    return subscribed;
  }

  /** Registers a listener; a channel first heard of after start-up is subscribed at once. */
  public void listen(String name, Consumer<String> listener) {
    String channel = key(name);
    boolean added = !listeners.containsKey(channel);
    listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    RedisConnection conn = subscriber;
    if (added && conn != null) {
      conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).onFailure(e -> lost(conn));
    }
  }

  /** Runs after every re-subscription, so caches can catch up with what was missed meanwhile. */
  public void onResubscribe(Runnable action) {
    onResubscribe.add(action);
  }

  public Future<Void> start() {
    listen(heartbeat, message -> lastHeard = System.nanoTime());
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> beat());
    return subscribe().recover(e -> {
      LOG.warn("redis subscription not ready, retrying in background [reason={}]", e.getMessage());
      scheduleReconnect();
      return Future.succeededFuture();
    });
  }

  /** Sends commands in one round trip; replies come back in order. */
  public Future<List<Response>> batch(List<Request> requests) {
    return client.batch(requests).timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Publishes on the deployment's channel {@code channel} (unprefixed name). */
  public Future<Void> publish(String channel, String message) {
    return api.publish(key(channel), message).timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  public Future<Void> ping() {
    return api.ping(List.of()).timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS).mapEmpty();
  }

  private void beat() {
    if (!subscribed || closed) {
      return;
    }
    if (System.nanoTime() - lastHeard > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SILENCE_MS)) {
      lost(subscriber);
      return;
    }
    publish(heartbeat, "1").onFailure(e -> { /* the silence decides */ });
  }

  private Future<Void> subscribe() {
    long limit = 4 * timeoutMs;
    return client.connect().timeout(limit, java.util.concurrent.TimeUnit.MILLISECONDS).compose(conn -> {
      subscriber = conn;
      conn.handler(this::dispatch);
      conn.exceptionHandler(e -> lost(conn));
      conn.endHandler(v -> lost(conn));
      Request request = Request.cmd(Command.SUBSCRIBE);
      listeners.keySet().forEach(request::arg);
      return conn.send(request).timeout(limit, java.util.concurrent.TimeUnit.MILLISECONDS).map(r -> {
        lastHeard = System.nanoTime();
        boolean again = !subscribed;
        subscribed = true;
        if (again) {
          onResubscribe.forEach(Runnable::run);
        }
        return (Void) null;
      }).onFailure(e -> conn.close());
    });
  }

  private void dispatch(Response message) {
    if (message == null || message.size() < 3 || !"message".equals(message.get(0).toString())) {
      return;
    }
    String channel = message.get(1).toString();
    String payload = message.get(2).toString();
    List<Consumer<String>> targets = listeners.get(channel);
    if (targets != null) {
      for (Consumer<String> target : targets) {
        try {
          target.accept(payload);
        } catch (RuntimeException e) {
          LOG.warn("listener failed [channel={}]", channel, e);
        }
      }
    }
  }

  /** {@code conn} stopped working; ignored when it is an older connection already replaced. */
  private void lost(RedisConnection conn) {
    if (conn != subscriber) {
      return;
    }
    if (subscribed && !closed) {
      LOG.warn("redis subscription lost; PostgreSQL is the truth until it is back");
    }
    subscribed = false;
    subscriber = null;
    if (conn != null) {
      conn.close();
    }
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed || !reconnecting.compareAndSet(false, true)) {
      return;
    }
    vertx.setTimer(500, id -> {
      reconnecting.set(false);
      if (closed || subscribed) {
        return;
      }
      subscribe().onFailure(e -> scheduleReconnect());
    });
  }

  public Future<Void> close() {
    closed = true;
    subscribed = false;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    RedisConnection conn = subscriber;
    if (conn != null) {
      conn.close();
    }
    client.close();
    return Future.succeededFuture();
  }
}
