package eu.consentgateway.config;

import java.net.URI;

/** The gateway's public base URL ({@code scheme://host[:port]}, no path): every absolute URL it writes starts so. */
final class PublicUrl {
  private PublicUrl() {
  }

  static String parse(String variable, String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (Exception e) {
      throw new ConfigException(variable, "not a URL (expected https://host[:port])");
    }
    boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null || !noPath
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException(variable, "must be an http(s) origin without path, e.g. https://consent.example.com");
    }
    return uri.getScheme() + "://" + uri.getHost().toLowerCase() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }
}
