package eu.consentgateway.config;

/** A configuration value that cannot be used; its message is the one line printed before the process stops. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String variable, String problem) {
    super(variable + ": " + problem);
  }
}
