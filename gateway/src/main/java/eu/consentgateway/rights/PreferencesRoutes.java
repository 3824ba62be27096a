package eu.consentgateway.rights;

import eu.consentgateway.consent.ConsentRecord;
import eu.consentgateway.consent.Consents;
import eu.consentgateway.consent.TokenClaims;
import eu.consentgateway.http.ApiError;
import eu.consentgateway.site.Site;
import eu.consentgateway.site.SiteRegistry;
import eu.consentgateway.terminal.ClientAddress;
import eu.consentgateway.terminal.UserAgents;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /preferences}: review, change or withdraw consent, download or delete one's data. The site's
 * widget posts the visitor's token here; every action form carries a token bound to the consent and must
 * come from this origin; the way back hands the new token to the site in the URL fragment.
 */
public final class PreferencesRoutes {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Consents consents;
  private final SiteRegistry sites;
  private final ClientAddress addresses;
  private final UserAgents userAgents;
  private final Clock clock;
  private final String publicUrl;

  public PreferencesRoutes(Consents consents, SiteRegistry sites, ClientAddress addresses, UserAgents userAgents,
      Clock clock, String publicUrl) {
    this.publicUrl = publicUrl;
    this.consents = consents;
    this.sites = sites;
    this.addresses = addresses;
    this.userAgents = userAgents;
    this.clock = clock;
  }

  public void mount(Router router) {
    // the page without a token: how to get here with one
    router.get("/preferences").handler(this::empty);
    // the page for the token the site's widget posted
    router.post("/preferences").handler(ctx -> page(ctx, false, (site, claims, form) -> Future.succeededFuture(null)));
    // change the choice
    router.post("/preferences/update").handler(ctx -> page(ctx, true, this::update));
    // withdraw every non-necessary purpose
    router.post("/preferences/withdraw").handler(ctx -> page(ctx, true, (site, claims, form) -> consents
        .withdraw(site, claims, ipPrefix(ctx), ua(ctx)).map(issued -> new Outcome(issued.record(), issued.token(),
            "withdrawn"))));
    // download my data
    router.post("/preferences/export").handler(this::export);
    // delete my data
    router.post("/preferences/delete").handler(ctx -> page(ctx, true, (site, claims, form) -> consents
        .erase(site, claims).map(n -> new Outcome(null, null, "deleted"))));
  }

  private record Outcome(ConsentRecord record, String token, String message) {
  }

  private interface Action {
    Future<Outcome> run(Site site, TokenClaims claims, MultiMap form);
  }

  private void empty(RoutingContext ctx) {
    sites.require(ctx.queryParams().get("site")).onSuccess(site -> html(ctx, 200, new PreferencesPage.View(site,
        PreferencesPage.locale(site, ctx.request().getHeader("Accept-Language")), null, null, null, null, null)))
        .onFailure(ctx::fail);
  }

  private void page(RoutingContext ctx, boolean action, Action run) {
    MultiMap form = ctx.request().formAttributes();
    String token = form.get("token");
    sites.require(form.get("site")).compose(site -> {
      String locale = PreferencesPage.locale(site, ctx.request().getHeader("Accept-Language"));
      String back = returnUrl(site, form.get("return"));
      if (action) {
        sameOrigin(ctx);
      }
      if (token == null || token.isEmpty()) {
        return Future.succeededFuture(new PreferencesPage.View(site, locale, null, null, null, null, back));
      }
      return consents.verify(token, site, true).compose(verified -> {
        TokenClaims claims = verified.claims();
        if (action && !consents.formTokenValid(claims.consentId(), form.get("csrf"))) {
          throw ApiError.forbidden("the form is stale or was not sent by this page; reload it");
        }
        return run.run(site, claims, form).compose(outcome -> {
          if (outcome != null && outcome.record() == null) { // erased
            return Future.succeededFuture(new PreferencesPage.View(site, locale, null, null, null, outcome.message(),
                back));
          }
          Future<ConsentRecord> shown = outcome != null ? Future.succeededFuture(outcome.record())
              : consents.record(claims).map(found -> found.orElseThrow(() -> ApiError.unauthorized("unknown consent")));
          String shownToken = outcome != null ? outcome.token() : token;
          return shown.map(record -> new PreferencesPage.View(site, locale, record, shownToken,
              consents.formToken(record.consentId()), outcome == null ? null : outcome.message(), back));
        });
      }, refused -> refused instanceof ApiError e && e.status() == 401
          ? Future.succeededFuture(new PreferencesPage.View(site, locale, null, token, null, null, back))
          : Future.failedFuture(refused));
    }).onSuccess(view -> html(ctx, view.consent() == null && view.token() != null ? 401 : 200, view))
        .onFailure(ctx::fail);
  }

  private Future<Outcome> update(Site site, TokenClaims claims, MultiMap form) {
    Map<String, Boolean> choices = new HashMap<>();
    for (String purpose : form.getAll("purpose")) {
      if (site.purpose(purpose).isEmpty()) {
        throw ApiError.badRequest("unknown_purpose", "this site has no such purpose");
      }
      choices.put(purpose, true);
    }
    return consents.record(claims).compose(current -> consents.choose(site, claims.subjectId(),
        current.map(ConsentRecord::locale).orElse(site.locales().get(0)), choices,
        current.map(ConsentRecord::gpc).orElse(false), null, null))
        .map(issued -> new Outcome(issued.record(), issued.token(), "saved"));
  }

  private void export(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    boolean csv = "csv".equals(form.get("format"));
    sites.require(form.get("site")).compose(site -> {
      sameOrigin(ctx);
      return consents.verify(form.get("token"), site, true).compose(verified -> {
        if (!consents.formTokenValid(verified.claims().consentId(), form.get("csrf"))) {
          throw ApiError.forbidden("the form is stale or was not sent by this page; reload it");
        }
        String subject = verified.claims().subjectId().toString();
        return consents.history(site.id(), verified.claims().subjectId()).map(history -> {
          MeRoutes.send(ctx, site, subject, history, csv, clock);
          return null;
        });
      });
    }).onFailure(ctx::fail);
  }

  /** Action forms must come from this page: a foreign Origin or a cross-site fetch is refused. */
  private void sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    String fetchSite = ctx.request().getHeader("Sec-Fetch-Site");
    if ((origin != null && !origin.equals(publicUrl))
        || (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none"))) {
      throw ApiError.forbidden("this form must be sent from the preferences page itself");
    }
  }

  /** Only a page of the site's own origins may be returned to. */
  static String returnUrl(Site site, String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > 2000) {
      return null;
    }
    try {
      URI uri = new URI(candidate);
      String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
      return site.allowsOrigin(origin) && uri.getRawFragment() == null ? candidate : null;
    } catch (Exception e) {
      return null;
    }
  }

  private void html(RoutingContext ctx, int status, PreferencesPage.View view) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    String nonce = Base64.getEncoder().encodeToString(random);
    ctx.response().setStatusCode(status)
        .putHeader("content-type", "text/html; charset=utf-8")
        // with no-referrer Chromium sends "Origin: null" on the page's own form posts, which sameOrigin refuses
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce + "'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        .end(PreferencesPage.render(view, nonce));
  }

  private String ipPrefix(RoutingContext ctx) {
    return addresses.prefixOf(ctx);
  }

  private String ua(RoutingContext ctx) {
    return userAgents.parse(ctx.request().getHeader("User-Agent")).browser();
  }
}
