package eu.consentgateway.browser;

import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * axe-core's WCAG 2.1 A and AA rules run inside a page. The script is read from the widget's node_modules (a
 * devDependency that the Maven build installs), never from a CDN.
 */
final class Axe {
  static final Path SCRIPT = Paths.get(System.getProperty("cg.axe.js",
      "../consent-widget/node_modules/axe-core/axe.min.js"));
  private static final String RUN = """
      () => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'] })
        .then(r => r.passes.length === 0 ? ['axe passed no rule: it did not run'] : r.violations.map(v => v.id
          + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))""";

  private Axe() {
  }

  /** The WCAG 2.1 A/AA violations on the page as it is now, one line per rule, empty when there are none. */
  @SuppressWarnings("unchecked")
  static List<String> violations(Page page) {
    if (!Files.isReadable(SCRIPT)) {
      fail("axe-core is not at " + SCRIPT.toAbsolutePath() + ": it is a devDependency of consent-widget, installed by"
          + " its npm ci during the Maven build (mvn -B -o verify -pl gateway -am)");
    }
    if (page.evaluate("() => typeof window.axe").equals("undefined")) {
      page.addScriptTag(new Page.AddScriptTagOptions().setPath(SCRIPT));
    }
    return (List<String>) page.evaluate(RUN);
  }
}
