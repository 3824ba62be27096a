package eu.consentgateway.bench;

import java.net.URI;

/** Where requests go: a loopback host, a port and a path (with query), parsed once from {@code --url}. */
record Target(String host, int port, String path) {

  static Target of(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new Args.Invalid("not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new Args.Invalid("only http:// URLs are supported: " + url);
    }
    Loopback.require(uri.getHost());
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new Target(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, path);
  }

  /** The same server, another path. */
  Target withPath(String other) {
    return new Target(host, port, other);
  }

  @Override
  public String toString() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
  }
}
