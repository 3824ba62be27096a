package eu.consentgateway;

import eu.consentgateway.collect.CollectRoutes;
import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.consent.ConsentRoutes;
import eu.consentgateway.consent.ConsentTokens;
import eu.consentgateway.consent.Consents;
import eu.consentgateway.consent.TokenSecrets;
import eu.consentgateway.demo.DemoRoutes;
import eu.consentgateway.forward.DestinationChecker;
import eu.consentgateway.forward.EuLocator;
import eu.consentgateway.forward.ForwardRoutes;
import eu.consentgateway.forward.Forwarder;
import eu.consentgateway.http.FailureHandler;
import eu.consentgateway.http.FrontDoor;
import eu.consentgateway.http.InFlight;
import eu.consentgateway.http.RequestLog;
import eu.consentgateway.http.SecurityHeaders;
import eu.consentgateway.limit.RateLimiter;
import eu.consentgateway.metrics.Meters;
import eu.consentgateway.ops.OpsRoutes;
import eu.consentgateway.ops.Readiness;
import eu.consentgateway.rights.MeRoutes;
import eu.consentgateway.rights.PreferencesRoutes;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.site.Audit;
import eu.consentgateway.site.SiteCors;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.site.SiteRoutes;
import eu.consentgateway.identity.Identity;
import eu.consentgateway.lifecycle.Lifecycle;
import eu.consentgateway.mail.MailDelivery;
import eu.consentgateway.mail.MailOutbox;
import eu.consentgateway.mail.MailTemplates;
import eu.consentgateway.stats.Statistics;
import eu.consentgateway.store.Jobs;
import eu.consentgateway.store.Database;
import eu.consentgateway.store.Migrations;
import eu.consentgateway.store.Outages;
import eu.consentgateway.store.PgFailures;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.store.WriteHealth;
import eu.consentgateway.terminal.ClientAddress;
import eu.consentgateway.terminal.GeoIp;
import eu.consentgateway.terminal.UserAgents;
import eu.consentgateway.widget.WidgetRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: config → stores → features → HTTP servers. One instance is one gateway process;
 * tests start several against the same stores.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final Database db;
  private final RedisBus redis;
  private final GatewayConfig config;
  private final Readiness readiness;
  private final List<Runnable> onClose = new ArrayList<>();
  private volatile List<String> routes = List.of();
  private volatile Forwarder forwarder;
  private volatile Jobs jobs;
  private volatile Statistics statistics;
  private volatile Lifecycle lifecycle;

  private Gateway(Vertx vertx, Database db, RedisBus redis, GatewayConfig config, Readiness readiness) {
    this.vertx = vertx;
    this.db = db;
    this.redis = redis;
    this.config = config;
    this.readiness = readiness;
  }

  /** Every mounted route as "METHOD /path/{param}", for checking the OpenAPI description against it. */
  public List<String> routes() {
    return routes;
  }

  private void listRoutes(Consumer<Router> mount) {
    Router probe = Router.router(vertx);
    mount.accept(probe);
    List<String> out = new ArrayList<>();
    for (Route route : probe.getRoutes()) {
      if (route.getPath() == null || route.methods() == null) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(m -> out.add(m.name() + " " + path));
    }
    routes = List.copyOf(out);
  }

  /** Migrates the database (blocking, before anything listens), then starts every feature. */
  public static Future<Gateway> start(GatewayConfig config, Clock clock) {
    Migrations.migrate(config.pg());
    PrometheusMeterRegistry metrics = Meters.prometheus();
    Outages outages = new Outages(metrics);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setJvmMetricsEnabled(true)
            // bounded labels only: never a path, an address or anything else the caller writes
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
                Label.POOL_NAME, Label.NAMESPACE, Label.LOCAL))
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
    Database db = new Database(vertx, config.pg(), config.timeouts());
    RedisBus redis = new RedisBus(vertx, config.redisUrl(), config.redisPrefix(), config.timeouts().redisCommand());
    WriteHealth writes = new WriteHealth(config.timeouts().pgQuery().multipliedBy(2).plusSeconds(1), metrics);
    Readiness readiness = new Readiness(db, redis, writes);
    SiteRegistry sites = new SiteRegistry(vertx, db.gateway(), redis, clock);
    ClientAddress addresses = new ClientAddress(config.trustedProxies());
    UserAgents userAgents = new UserAgents();
    GeoIp geo = GeoIp.open(vertx, config.geoipDb());
    GatewayConfig.Limits l = config.limits();
    RateLimiter limiter = new RateLimiter(redis, Map.of(RateLimiter.Bucket.CONSENTS, l.consentsPerMinute(),
        RateLimiter.Bucket.NOTICES, l.noticesPerMinute(), RateLimiter.Bucket.COLLECT, l.collectPerMinute(),
        RateLimiter.Bucket.AUTH_FAILURES, l.authFailuresPerMinute()), metrics, System::currentTimeMillis);
    Gateway gateway = new Gateway(vertx, db, redis, config, readiness);
    String publicUrl = config.publicUrl();

    return db.ping()
        .recover(e -> Future.failedFuture(PgFailures.unavailable(config.pg(), e)))
        .compose(v -> redis.ping().recover(e -> {
          // Redis holds only what can be rebuilt: serve from PostgreSQL and reconnect in the background
          LOG.warn("Redis does not answer; continuing on PostgreSQL alone (start it with deploy/services.sh)");
          return Future.succeededFuture();
        }))
        .compose(v -> redis.start())
        .compose(v -> sites.start())
        .compose(v -> TokenSecrets.resolve(config.tokenSecrets(), db.gateway()))
        .compose(secrets -> {
          Consents consents = new Consents(db.gateway(), redis, new ConsentTokens(secrets), clock, metrics, writes);
          ApiKeys keys = new ApiKeys(vertx, db.gateway(), config.adminToken(), limiter, addresses);
          Audit audit = new Audit(db.gateway(), clock);
          EuLocator eu = EuLocator.withSystemResolver(vertx, geo);
          SiteRoutes siteRoutes = new SiteRoutes(sites, keys, new DestinationChecker(eu), audit, publicUrl);
          Forwarder forwarder = new Forwarder(vertx, db.gateway(), sites, eu, clock, metrics,
              config.forwardMaxAttempts());
          gateway.forwarder = forwarder;
          Statistics stats = new Statistics(db, sites, keys, clock, vertx, config.statsRefresh(),
              config.statsBusyCpuPercent(), config.terminalRetentionMonths());
          Jobs jobs = new Jobs(vertx, db.locks(), metrics);
          MailDelivery delivery = new MailDelivery(vertx, db.identity(), config.smtp(), config.mailFrom(), clock,
              metrics);
          readiness.detail(() -> new io.vertx.core.json.JsonObject().put("mail", delivery.state()));
          Identity identity = new Identity(db, redis, consents, sites, keys, audit,
              new MailOutbox(new MailTemplates()), clock);
          consents.overrides(identity.overrides());
          forwarder.overrides(identity.overrides());
          Lifecycle lifecycle = new Lifecycle(identity, sites, delivery, keys, audit, clock, config.lifecycle(),
              metrics);
          gateway.lifecycle = lifecycle;
          gateway.jobs = jobs;
          gateway.statistics = stats;
          ForwardRoutes forwardRoutes = new ForwardRoutes(forwarder, sites, keys, clock);
          MeRoutes me = new MeRoutes(consents, sites, clock);
          PreferencesRoutes preferences = new PreferencesRoutes(consents, sites, addresses, userAgents, clock,
              publicUrl);
          ConsentRoutes consentRoutes = new ConsentRoutes(consents, sites, addresses, userAgents, limiter,
              publicUrl);
          CollectRoutes collect = new CollectRoutes(sites, consents, db.terminal(), db.gateway(), redis, userAgents,
              geo, addresses, clock, limiter, writes);
          OpsRoutes ops = new OpsRoutes(readiness, metrics);
          WidgetRoutes widget = new WidgetRoutes(sites, publicUrl);
          DemoRoutes demo = new DemoRoutes(sites, config.httpPort(), publicUrl);
          InFlight inFlight = new InFlight(config.limits().maxInFlight(), metrics);
          Consumer<Router> routes = router -> {
            hygiene(router, sites, config, inFlight, outages);
            ops.mount(router);
            widget.mount(router);
            siteRoutes.mount(router);
            consentRoutes.mount(router);
            collect.mount(router);
            forwardRoutes.mount(router);
            me.mount(router);
            preferences.mount(router);
            stats.mount(router);
            identity.mount(router);
            lifecycle.mount(router);
            if (config.demo()) {
              demo.mount(router);
            }
            router.route().last().handler(ctx -> ctx.fail(404));
          };
          gateway.listRoutes(routes);
          FrontDoor.Shared door = new FrontDoor.Shared(metrics);
          Future<Void> seeded = config.demo() ? demo.seed() : Future.succeededFuture();
          return seeded
              .compose(v -> vertx.deployVerticle(() -> new GatewayVerticle(config, routes, door),
                  new DeploymentOptions().setInstances(config.verticles())))
              .compose(v -> vertx.deployVerticle(new ManagementVerticle(config.managementPort(), ops, outages)))
              .map(v -> {
                forwarder.start();
                if (config.jobs()) {
                  stats.schedule(jobs);
                  lifecycle.schedule(jobs);
                }
                long opposition = identity.start(vertx);
                long limits = limiter.start(vertx);
                long salts = collect.start(vertx);
                gateway.onClose.add(() -> {
                  jobs.stop();
                  vertx.cancelTimer(limits);
                  vertx.cancelTimer(salts);
                  vertx.cancelTimer(opposition);
                });
                return v;
              });
        })
        .map(id -> {
          LOG.info("gateway listening [port={}] [managementPort={}] [publicUrl={}] [verticles={}] [demo={}]",
              config.httpPort(), config.managementPort(), publicUrl, config.verticles(), config.demo());
          return gateway;
        })
        .recover(e -> gateway.close().transform(ar -> Future.failedFuture(e)));
  }

  /** Request-wide handlers: load shedding, log, security headers, CORS pre-flights, body limits, failures. */
  private static void hygiene(Router router, SiteRegistry sites, GatewayConfig config, InFlight inFlight,
      Outages outages) {
    // few routes, prefix matches and chained handlers: every request walks this part of the router
    BodyHandler admin = BodyHandler.create(false).setBodyLimit(config.adminBodyLimit());
    BodyHandler browser = BodyHandler.create(false).setBodyLimit(config.browserBodyLimit());
    router.route().handler(inFlight).handler(new RequestLog()).handler(new SecurityHeaders());
    router.route("/v1/*").handler(SiteCors.preflight(sites))
        .handler(ctx -> (ctx.normalizedPath().startsWith("/v1/admin/") ? admin : browser).handle(ctx));
    router.route("/preferences*").handler(browser);
    router.route().failureHandler(new FailureHandler(outages));
  }

  public int port() {
    return config.httpPort();
  }

  /** The job runner and the statistics feature, for tests and tools that run a job now. */
  public Jobs jobs() {
    return jobs;
  }

  public Statistics statistics() {
    return statistics;
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /** The deployment's Redis name for {@code name} (prefix included). */
  public String redisKey(String name) {
    return redis.key(name);
  }

  /**
   * Drains: readiness turns 503 first, so load balancers stop sending new requests, then the listeners close
   * and requests in flight finish (up to the grace period); then the pools and Redis close.
   */
  public Future<Void> close() {
    readiness.drain();
    Duration delay = Duration.ofMillis(Math.min(5_000, config.shutdownGrace().toMillis() / 2));
    Promise<Void> waited = Promise.promise();
    if (delay.isZero() || vertx.deploymentIDs().isEmpty()) {
      waited.complete();
    } else {
      vertx.setTimer(delay.toMillis(), id -> waited.complete());
    }
    Future<Void> undeployed = waited.future();
    for (String id : vertx.deploymentIDs()) {
      undeployed = undeployed.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    Forwarder running = forwarder;
    onClose.forEach(Runnable::run);
    return undeployed
        .compose(v -> running == null ? Future.succeededFuture() : running.stop())
        .compose(v -> redis.close())
        .compose(v -> db.close().recover(e -> Future.succeededFuture()))
        .eventually(() -> vertx.close());
  }
}
