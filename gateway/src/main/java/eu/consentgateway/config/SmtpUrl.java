package eu.consentgateway.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code smtp://[user[:password]@]host[:port][?starttls=required|optional|disabled]} or {@code smtps://…} (TLS
 * from the first byte); STARTTLS is required by default on smtp://, and credentials are sent only over TLS.
 */
public record SmtpUrl(String host, int port, boolean tls, String starttls, String user, String password) {

  static SmtpUrl parse(String variable, String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (Exception e) {
      throw new ConfigException(variable, "not a URL (expected smtp://user:password@host:587 or smtps://host:465)");
    }
    boolean tls = "smtps".equals(uri.getScheme());
    if (!tls && !"smtp".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ConfigException(variable, "must be smtp://host[:port] or smtps://host[:port]");
    }
    String starttls = "required";
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        if (!kv[0].equals("starttls") || kv.length < 2
            || !java.util.Set.of("required", "optional", "disabled").contains(kv[1])) {
          throw new ConfigException(variable, "the only option is starttls=required|optional|disabled");
        }
        starttls = kv[1];
      }
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
      if (!tls && !"required".equals(starttls)) {
        throw new ConfigException(variable, "credentials travel only over TLS: use smtps:// or starttls=required");
      }
    }
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 587;
    return new SmtpUrl(uri.getHost(), port, tls, starttls, user, password);
  }

  @Override
  public String toString() {
    return (tls ? "smtps://" : "smtp://") + (user == null ? "" : user + "@") + host + ":" + port;
  }
}
