package eu.consentgateway.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A parsed {@code postgresql://user[:password]@host[:port]/database} URL. */
public record PgUrl(String host, int port, String database, String user, String password) {

  static PgUrl parse(String variable, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (Exception e) {
      throw new ConfigException(variable, "not a URL (expected postgresql://user@host:port/database)");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new ConfigException(variable, "scheme must be postgresql://");
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw new ConfigException(variable, "host and database are required (postgresql://user@host:port/database)");
    }
    String user = "postgres";
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
    }
    return new PgUrl(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, uri.getPath().substring(1), user,
        password);
  }

  /** Same server and credentials, another database (tests use their own). */
  public PgUrl withDatabase(String name) {
    return new PgUrl(host, port, name, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
