package eu.consentgateway.mail;

import java.util.Map;

/**
 * One e-mail to an account holder. {@code occasion} makes it unique: the same kind, account and occasion is
 * queued at most once, whoever asks and however often (an inactivity cycle, an incident, a policy version).
 */
public record Mail(String kind, String siteId, String accountId, String occasion, String to, String language,
    Map<String, Object> values) {

  public String dedupeKey() {
    return kind + ":" + siteId + ":" + accountId + ":" + occasion;
  }
}
