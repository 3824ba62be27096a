package eu.consentgateway;

import eu.consentgateway.config.GatewayConfig;
import eu.consentgateway.collect.CollectRoutes;
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
import eu.consentgateway.http.RequestLog;
import eu.consentgateway.http.SecurityHeaders;
import eu.consentgateway.ops.OpsRoutes;
import eu.consentgateway.rights.MeRoutes;
import eu.consentgateway.rights.PreferencesRoutes;
import eu.consentgateway.site.ApiKeys;
import eu.consentgateway.stats.TerminalRetention;
import eu.consentgateway.site.Audit;
import eu.consentgateway.site.SiteCors;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.site.SiteRoutes;
import eu.consentgateway.store.Database;
import eu.consentgateway.store.Migrations;
import eu.consentgateway.store.PgFailures;
import eu.consentgateway.store.RedisBus;
import eu.consentgateway.terminal.ClientAddress;
import eu.consentgateway.terminal.GeoIp;
import eu.consentgateway.terminal.UserAgents;
import eu.consentgateway.widget.WidgetRoutes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.ext.web.Route;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
  private volatile List<String> routes = List.of();
  private volatile Forwarder forwarder;
  private volatile TerminalRetention retention;

  private Gateway(Vertx vertx, Database db, RedisBus redis, GatewayConfig config) {
    this.vertx = vertx;
    this.db = db;
    this.redis = redis;
    this.config = config;
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
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
    Database db = new Database(vertx, config.pg());
    RedisBus redis = new RedisBus(vertx, config.redisUrl());
    SiteRegistry sites = new SiteRegistry(vertx, db.gateway(), redis, clock);
    ClientAddress addresses = new ClientAddress(config.trustedProxies());
    UserAgents userAgents = new UserAgents();
    GeoIp geo = GeoIp.open(vertx, config.geoipDb());
    Gateway gateway = new Gateway(vertx, db, redis, config);

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
          Consents consents = new Consents(db.gateway(), redis, new ConsentTokens(secrets), clock, metrics);
          ApiKeys keys = new ApiKeys(db.gateway(), config.adminToken());
          Audit audit = new Audit(db.gateway(), clock);
          EuLocator eu = EuLocator.withSystemResolver(vertx, geo);
          SiteRoutes siteRoutes = new SiteRoutes(sites, keys, new DestinationChecker(eu), audit);
          Forwarder forwarder = new Forwarder(vertx, db.gateway(), sites, eu, clock, metrics,
              config.forwardMaxAttempts());
          gateway.forwarder = forwarder;
          gateway.retention = new TerminalRetention(db.stats(), clock, config.terminalRetentionMonths());
          ForwardRoutes forwardRoutes = new ForwardRoutes(forwarder, sites, keys, clock);
          MeRoutes me = new MeRoutes(consents, sites, clock);
          PreferencesRoutes preferences = new PreferencesRoutes(consents, sites, addresses, userAgents, clock);
          ConsentRoutes consentRoutes = new ConsentRoutes(consents, sites, addresses, userAgents);
          CollectRoutes collect = new CollectRoutes(sites, consents, db.terminal(), redis, userAgents, geo, addresses,
              clock);
          OpsRoutes ops = new OpsRoutes(vertx, db, redis, metrics);
          WidgetRoutes widget = new WidgetRoutes(sites);
          DemoRoutes demo = new DemoRoutes(sites, config.httpPort());
          Consumer<Router> routes = router -> {
            hygiene(router, sites, config);
            ops.mount(router);
            widget.mount(router);
            siteRoutes.mount(router);
            consentRoutes.mount(router);
            collect.mount(router);
            forwardRoutes.mount(router);
            me.mount(router);
            preferences.mount(router);
            if (config.demo()) {
              demo.mount(router);
            }
            router.route().last().handler(ctx -> ctx.fail(404));
          };
          gateway.listRoutes(routes);
          Future<Void> seeded = config.demo() ? demo.seed() : Future.succeededFuture();
          return seeded.compose(v -> vertx.deployVerticle(() -> new GatewayVerticle(config, routes),
              new DeploymentOptions().setInstances(config.verticles())));
        })
        .map(id -> {
          gateway.forwarder.start();
          gateway.retention.start(vertx);
          LOG.info("gateway listening [port={}] [verticles={}] [demo={}]", config.httpPort(), config.verticles(),
              config.demo());
          return gateway;
        })
        .recover(e -> gateway.close().transform(ar -> Future.failedFuture(e)));
  }

  /** Request-wide handlers: log, security headers, CORS pre-flights, body limits, one failure handler. */
  private static void hygiene(Router router, SiteRegistry sites, GatewayConfig config) {
    // few routes, prefix matches and chained handlers: every request walks this part of the router
    BodyHandler admin = BodyHandler.create(false).setBodyLimit(config.adminBodyLimit());
    BodyHandler browser = BodyHandler.create(false).setBodyLimit(config.browserBodyLimit());
    router.route().handler(new RequestLog()).handler(new SecurityHeaders());
    router.route("/v1/*").handler(SiteCors.preflight(sites))
        .handler(ctx -> (ctx.normalizedPath().startsWith("/v1/admin/") ? admin : browser).handle(ctx));
    router.route("/preferences*").handler(browser);
    router.route().failureHandler(new FailureHandler());
  }


  public int port() {
    return config.httpPort();
  }

  /** Drains HTTP requests (up to the grace period), then closes pools and Redis. */
  public Future<Void> close() {
    Future<Void> undeployed = Future.succeededFuture();
    for (String id : vertx.deploymentIDs()) {
      undeployed = undeployed.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    Forwarder running = forwarder;
    if (retention != null) {
      retention.stop(vertx);
    }
    return undeployed
        .compose(v -> running == null ? Future.succeededFuture() : running.stop())
        .compose(v -> redis.close())
        .compose(v -> db.close().recover(e -> Future.succeededFuture()))
        .eventually(() -> vertx.close());
  }
}
