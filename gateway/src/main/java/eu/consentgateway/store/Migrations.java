package eu.consentgateway.store;

import eu.consentgateway.config.PgUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the database to the current schema with Flyway over JDBC; run once, before any pool opens. */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static void migrate(PgUrl url) {
    createDatabaseIfMissing(url);
    var result = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .createSchemas(false)
        .load()
        .migrate();
    LOG.info("database migrated [database={}] [applied={}] [version={}]", url.database(),
        result.migrationsExecuted, result.targetSchemaVersion);
  }

  /** A first start on a fresh server finds no database: create it rather than fail. */
  private static void createDatabaseIfMissing(PgUrl url) {
    try (Connection c = connect(url)) {
      return;
    } catch (SQLException e) {
      if (!"3D000".equals(e.getSQLState())) {
        throw PgFailures.unavailable(url, e);
      }
    }
    try (Connection c = connect(url.withDatabase("postgres")); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + url.database().replace("\"", "") + "\"");
      LOG.info("database created [database={}]", url.database());
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another instance
        throw new StoreUnavailable("cannot create database " + url.database() + ": " + e.getMessage());
      }
    }
  }

  private static Connection connect(PgUrl url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    if (url.password() != null) {
      props.setProperty("password", url.password());
    }
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }
}
