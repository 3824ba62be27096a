package eu.consentgateway.lifecycle;

import eu.consentgateway.identity.Identity;
import eu.consentgateway.mail.Mail;
import eu.consentgateway.site.Site;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The e-mails of the life cycle, addressed to one holder, in the holder's language, with the site's words. */
final class HolderMails {
  private HolderMails() {
  }

  static Map<String, Object> values(Identity.Holder h, Site site) {
    Map<String, Object> v = new HashMap<>();
    v.put("name", h.name());
    v.put("siteName", site == null ? "" : site.name());
    v.put("siteUrl", site == null || site.origins().isEmpty() ? "" : site.origins().get(0));
    return v;
  }

  static String date(Instant at, String language, ZoneId zone) {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Locale.forLanguageTag(language))
        .withZone(zone).format(at);
  }

  static Mail of(String kind, Identity.Holder h, String occasion, Map<String, Object> values) {
    return new Mail(kind, h.siteId(), h.accountId(), occasion, h.email(), h.language(), values);
  }
}
