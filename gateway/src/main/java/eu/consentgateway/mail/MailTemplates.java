package eu.consentgateway.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The texts of account e-mails, French and English, from templates under {@code templates/mail/}: a plain-text
 * template per kind and language whose first line is the subject, and one HTML layout (auto-escaped) that shows
 * the same paragraphs. Values (names, incident descriptions) never become markup.
 */
public final class MailTemplates {
  public static final Set<String> KINDS = Set.of("inactivity_invite", "inactivity_reminder", "inactivity_deleted",
      "breach_notice", "policy_change");

  /** A message ready to send. */
  public record Rendered(String subject, String text, String html) {
  }

  private final TemplateEngine engine = new TemplateEngine();

  public MailTemplates() {
    ClassLoaderTemplateResolver text = resolver(TemplateMode.TEXT, "*.txt", 1);
    ClassLoaderTemplateResolver html = resolver(TemplateMode.HTML, "*.html", 2);
    engine.addTemplateResolver(text);
    engine.addTemplateResolver(html);
  }

  private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String pattern, int order) {
    ClassLoaderTemplateResolver r = new ClassLoaderTemplateResolver(MailTemplates.class.getClassLoader());
    r.setPrefix("templates/mail/");
    r.setTemplateMode(mode);
    r.setResolvablePatterns(Set.of(pattern));
    r.setCharacterEncoding("UTF-8");
    r.setCacheable(true);
    r.setCheckExistence(true);
    r.setOrder(order);
    return r;
  }

  public Rendered render(String kind, String language, Map<String, Object> values) {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("no template for " + kind);
    }
    String lang = "en".equals(language) ? "en" : "fr";
    Context ctx = new Context(Locale.forLanguageTag(lang), values);
    String full = engine.process(kind + "_" + lang + ".txt", ctx).replace("\r", "");
    int cut = full.indexOf('\n');
    String subject = full.substring(0, cut).replaceAll("[\\p{Cntrl}]", " ").trim();
    String body = full.substring(cut + 1).strip() + "\n";
    List<String> paragraphs = new ArrayList<>();
    for (String p : body.split("\n\\s*\n")) {
      if (!p.isBlank()) {
        paragraphs.add(p.strip());
      }
    }
    Context page = new Context(Locale.forLanguageTag(lang), Map.of("subject", subject, "paragraphs", paragraphs,
        "language", lang));
    return new Rendered(subject, body, engine.process("layout.html", page));
  }
}
