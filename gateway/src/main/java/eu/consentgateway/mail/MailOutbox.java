package eu.consentgateway.mail;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Queues e-mails in PostgreSQL, inside the caller's transaction: the change that causes a message and the message
 * commit together or not at all. A second queueing of the same key is ignored.
 */
public final class MailOutbox {
  private static final String INSERT = """
      INSERT INTO identity.mail (dedupe_key, site_id, account_id, kind, language, to_address, subject, body_text,
                                 body_html, created_at, next_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
      ON CONFLICT (dedupe_key) DO NOTHING
      """;

  private final MailTemplates templates;

  public MailOutbox(MailTemplates templates) {
    this.templates = templates;
  }

  /** Queues {@code mail} on {@code conn}; completes with whether it was new. */
  public Future<Boolean> enqueue(SqlConnection conn, Mail mail, Instant now) {
    MailTemplates.Rendered r = templates.render(mail.kind(), mail.language(), mail.values());
    return conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {mail.dedupeKey(), mail.siteId(),
        mail.accountId(), mail.kind(), mail.language(), mail.to(), r.subject(), r.text(), r.html(),
        now.atOffset(ZoneOffset.UTC)})).map(rows -> rows.rowCount() == 1);
  }
}
