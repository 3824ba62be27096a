package eu.consentgateway.collect;

import eu.consentgateway.terminal.ClientAddress;
import eu.consentgateway.terminal.ClientHints;
import eu.consentgateway.terminal.GeoIp;
import eu.consentgateway.terminal.UserAgents;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a beacon and its request into terminal data: parsed user agent (refined by client hints), geography
 * of the truncated address, primary language, screen size. The raw user agent and address go no further.
 */
final class Enricher {
  private static final Pattern LANGUAGE = Pattern.compile("^\\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*");

  private final UserAgents userAgents;
  private final GeoIp geo;
  private final ClientAddress addresses;

  Enricher(UserAgents userAgents, GeoIp geo, ClientAddress addresses) {
    this.userAgents = userAgents;
    this.geo = geo;
    this.addresses = addresses;
  }

  TerminalEvent enrich(Beacon b, RoutingContext ctx, Instant now, byte[] visitorHash) {
    HttpServerRequest req = ctx.request();
    UserAgents.Parsed ua = userAgents.parse(req.getHeader("User-Agent"));
    String browser = ua.browser();
    String browserMajor = ua.browserMajor();
    String os = ua.os();
    ClientHints.Brand brand = "Other".equals(browser) ? ClientHints.brand(req.getHeader("Sec-CH-UA")) : null;
    if (brand != null) {
      browser = brand.name();
      browserMajor = brand.major();
    }
    String platform = ClientHints.platform(req.getHeader("Sec-CH-UA-Platform"));
    if (platform != null) {
      os = platform; // user-agent reduction freezes the OS in the UA string; the hint is the truth
    }
    Boolean mobile = ClientHints.mobile(req.getHeader("Sec-CH-UA-Mobile"));
    InetAddress truncated = addresses.truncated(ctx);
    GeoIp.Location where = truncated == null ? GeoIp.Location.UNKNOWN : geo.locate(truncated);
    return new TerminalEvent(b.siteId(), b.eventId(), now, b.type(), b.name(), b.page(), b.referrerHost(), b.props(),
        browser, browserMajor, os, ua.osMajor(), ua.device(), mobile, where.country(),
        where.country() == null ? null : where.eu(), where.region(), where.city(),
        language(req.getHeader("Accept-Language")), b.screenW(), b.screenH(), visitorHash);
  }

  static String language(String acceptLanguage) {
    if (acceptLanguage == null) {
      return null;
    }
    Matcher m = LANGUAGE.matcher(acceptLanguage);
    return m.find() ? m.group(1).toLowerCase() : null;
  }
}
