package eu.consentgateway.rights;

import eu.consentgateway.consent.ConsentRecord;
import eu.consentgateway.site.Purpose;
import eu.consentgateway.site.Site;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Server-rendered preferences page: plain HTML forms, so it works with JavaScript off. */
final class PreferencesPage {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);
  private static final Map<String, Map<String, String>> TEXT = Map.of(
      "en", Map.ofEntries(
          Map.entry("title", "Your cookie choices"), Map.entry("given", "Chosen on"),
          Map.entry("expires", "Valid until (never extended by later visits)"), Map.entry("save", "Save my choices"),
          Map.entry("withdraw", "Withdraw all consent"), Map.entry("json", "Download my data (JSON)"),
          Map.entry("csv", "Download my data (CSV)"), Map.entry("delete", "Delete my data"),
          Map.entry("back", "Back to the site"), Map.entry("granted", "Granted"), Map.entry("refused", "Refused"),
          Map.entry("saved", "Your choices were saved."), Map.entry("withdrawn", "Your consent was withdrawn."),
          Map.entry("deleted", "Your data was deleted."), Map.entry("always", "always on"),
          Map.entry("none", "No consent was found on this device for this site. Use the site's cookie banner to choose."),
          Map.entry("refusedToken", "This consent is no longer valid (expired, withdrawn or replaced). "
              + "Return to the site to choose again.")),
      "fr", Map.ofEntries(
          Map.entry("title", "Vos choix de cookies"), Map.entry("given", "Choix fait le"),
          Map.entry("expires", "Valable jusqu'au (jamais prolongé par les visites suivantes)"),
          Map.entry("save", "Enregistrer mes choix"), Map.entry("withdraw", "Retirer tout consentement"),
          Map.entry("json", "Télécharger mes données (JSON)"), Map.entry("csv", "Télécharger mes données (CSV)"),
          Map.entry("delete", "Supprimer mes données"), Map.entry("back", "Revenir sur le site"),
          Map.entry("granted", "Accepté"), Map.entry("refused", "Refusé"),
          Map.entry("saved", "Vos choix ont été enregistrés."), Map.entry("withdrawn", "Votre consentement a été retiré."),
          Map.entry("deleted", "Vos données ont été supprimées."), Map.entry("always", "toujours actif"),
          Map.entry("none", "Aucun consentement trouvé sur cet appareil pour ce site. Utilisez le bandeau cookies du site."),
          Map.entry("refusedToken", "Ce consentement n'est plus valable (expiré, retiré ou remplacé). "
              + "Revenez sur le site pour choisir à nouveau.")));

  /** What to render: the consent shown (if any), its token and form token, a message key, the way back. */
  record View(Site site, String locale, ConsentRecord consent, String token, String formToken, String message,
      String returnUrl) {
  }

  private PreferencesPage() {
  }

  static String locale(Site site, String acceptLanguage) {
    if (acceptLanguage != null) {
      for (String part : acceptLanguage.split(",")) {
        String lang = part.trim().split("[;-]")[0].toLowerCase();
        if (TEXT.containsKey(lang) && site.locales().contains(lang)) {
          return lang;
        }
      }
    }
    String first = site.locales().get(0).split("-")[0];
    return TEXT.containsKey(first) ? first : "en";
  }

  static String render(View v, String nonce) {
    Map<String, String> t = TEXT.get(v.locale());
    StringBuilder b = new StringBuilder(4096);
    b.append("<!doctype html><html lang=\"").append(v.locale()).append("\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(t.get("title"))).append(" · ").append(esc(v.site().name())).append("</title>")
        .append("<style nonce=\"").append(nonce).append("\">").append(CSS).append("</style></head><body><main>")
        .append("<h1>").append(esc(t.get("title"))).append("</h1><p class=\"site\">").append(esc(v.site().name()))
        .append("</p>");
    if (v.message() != null) {
      b.append("<p id=\"cg-pref-message\" role=\"status\">").append(esc(t.get(v.message()))).append("</p>");
    }
    ConsentRecord c = v.consent();
    if (c == null) {
      b.append("<p id=\"cg-pref-status\">").append(esc(t.get(v.message() != null && v.message().equals("deleted")
          ? "deleted" : v.token() == null ? "none" : "refusedToken"))).append("</p>");
    } else {
      b.append("<dl><dt>").append(esc(t.get("given"))).append("</dt><dd id=\"cg-pref-given\">")
          .append(DATE.format(c.givenAt())).append("</dd><dt>").append(esc(t.get("expires")))
          .append("</dt><dd id=\"cg-pref-expires\">").append(DATE.format(c.expiresAt())).append("</dd></dl>");
      b.append("<form id=\"cg-pref-form\" method=\"post\" action=\"/preferences/update\">").append(hidden(v))
          .append("<fieldset><legend id=\"cg-pref-status\">");
      StringBuilder summary = new StringBuilder();
      for (Purpose p : v.site().purposes()) {
        boolean granted = Boolean.TRUE.equals(c.choices().get(p.id()));
        summary.append(summary.length() == 0 ? "" : " · ").append(label(p, v.locale())).append(": ")
            .append(t.get(granted ? "granted" : "refused"));
      }
      b.append(esc(summary.toString())).append("</legend>");
      for (Purpose p : v.site().purposes()) {
        boolean granted = Boolean.TRUE.equals(c.choices().get(p.id()));
        String id = "cg-pref-p-" + p.id();
        b.append("<p><input type=\"checkbox\" name=\"purpose\" id=\"").append(id).append("\" value=\"")
            .append(esc(p.id())).append('"').append(granted ? " checked" : "").append(p.required() ? " disabled" : "")
            .append("><label for=\"").append(id).append("\">").append(esc(label(p, v.locale())))
            .append(p.required() ? " (" + esc(t.get("always")) + ")" : "").append("</label>");
        String description = p.descriptions().get(v.locale());
        if (description != null) {
          b.append("<br><small>").append(esc(description)).append("</small>");
        }
        b.append("</p>");
      }
      b.append("<button id=\"cg-pref-save\" type=\"submit\">").append(esc(t.get("save"))).append("</button>")
          .append("</fieldset></form>");
      b.append(form("/preferences/withdraw", v, "cg-pref-withdraw", t.get("withdraw"), ""));
      b.append(form("/preferences/export", v, "cg-pref-export-json", t.get("json"),
          "<input type=\"hidden\" name=\"format\" value=\"json\">"));
      b.append(form("/preferences/export", v, "cg-pref-export-csv", t.get("csv"),
          "<input type=\"hidden\" name=\"format\" value=\"csv\">"));
      b.append(form("/preferences/delete", v, "cg-pref-delete", t.get("delete"), ""));
    }
    if (v.returnUrl() != null) {
      String back = v.returnUrl() + (v.token() != null && c != null ? "#cg_token=" + v.token() : "");
      b.append("<p><a id=\"cg-pref-return\" href=\"").append(esc(back)).append("\">").append(esc(t.get("back")))
          .append("</a></p>");
    }
    return b.append("</main></body></html>").toString();
  }

  private static String form(String action, View v, String buttonId, String label, String extra) {
    return "<form method=\"post\" action=\"" + action + "\">" + hidden(v) + extra + "<button id=\"" + buttonId
        + "\" type=\"submit\">" + esc(label) + "</button></form>";
  }

  private static String hidden(View v) {
    return field("site", v.site().id()) + field("token", v.token()) + field("csrf", v.formToken())
        + (v.returnUrl() == null ? "" : field("return", v.returnUrl()));
  }

  private static String field(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value == null ? "" : value) + "\">";
  }

  private static String label(Purpose p, String locale) {
    return p.labels().getOrDefault(locale, p.labels().getOrDefault("en", p.id()));
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  private static final String CSS = "body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0}"
      + "main{max-width:40rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.5rem}.site{color:#444}"
      + "fieldset{border:1px solid #999;border-radius:6px;padding:1rem}legend{font-weight:600;padding:0 .3rem}"
      + "button{font:inherit;margin:.3rem 0;padding:.5rem 1rem;border:2px solid #1a1a1a;border-radius:6px;"
      + "background:#fff;color:#1a1a1a;cursor:pointer}button:focus-visible,a:focus-visible,input:focus-visible"
      + "{outline:3px solid #005fcc;outline-offset:2px}form{margin:.5rem 0}#cg-pref-message{font-weight:600}"
      + "a{color:#0047a3}small{color:#444}";
}
