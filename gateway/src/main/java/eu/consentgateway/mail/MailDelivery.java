package eu.consentgateway.mail;

import eu.consentgateway.config.SmtpUrl;
import eu.consentgateway.metrics.Meters;
import eu.consentgateway.store.Jobs;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the e-mail outbox over SMTP: claims due messages with a lease (several instances never take the same one),
 * sends each with a Message-ID derived from its key (so a receiver can tell a repeat after a crash), retries with
 * backoff and gives up into a dead-letter list after the last attempt. Once sent, a message keeps only its kind
 * and time. Without SMTP configured the messages wait, and readiness says so.
 */
public final class MailDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);
  static final int MAX_ATTEMPTS = 10;
  private static final int BATCH = 50;
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final String CLAIM = """
      UPDATE identity.mail SET next_at = $2, attempts = attempts + 1
       WHERE mail_id IN (SELECT mail_id FROM identity.mail WHERE status = 'pending' AND next_at <= $1
                          ORDER BY next_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING mail_id, dedupe_key, kind, site_id, account_id, to_address, subject, body_text, body_html, attempts
      """;
  private static final String SENT = """
      UPDATE identity.mail SET status = 'sent', sent_at = $2, to_address = NULL, subject = NULL, body_text = NULL,
             body_html = NULL, last_error = NULL
       WHERE mail_id = $1
      """;
  private static final String FAILED = """
      UPDATE identity.mail SET next_at = $2, last_error = $3, status = CASE WHEN $4 THEN 'dead' ELSE 'pending' END
       WHERE mail_id = $1
      """;
  private static final String COUNTS = """
      SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'dead') AS dead
        FROM identity.mail
      """;
  // $1 the sites of the key asking, or null for a key of every site
  private static final String DEAD = """
      SELECT dedupe_key, kind, site_id, attempts, last_error, created_at FROM identity.mail
       WHERE status = 'dead' AND ($1::text[] IS NULL OR site_id = ANY($1::text[]))
       ORDER BY mail_id LIMIT 500
      """;
  private static final String REQUEUE = "UPDATE identity.mail SET status = 'pending', attempts = 0, next_at = $2 "
      + "WHERE status = 'dead' AND ($1::text[] IS NULL OR site_id = ANY($1::text[]))";

  /** A claimed message. */
  public record Claimed(long id, String dedupeKey, String kind, String siteId, String accountId) {
  }

  private final Pool pool;
  private final Optional<MailClient> client;
  private final String from;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Map<String, Function<Claimed, Future<Void>>> afterSent = new ConcurrentHashMap<>();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();

  public MailDelivery(Vertx vertx, Pool pool, Optional<SmtpUrl> smtp, String from, Clock clock,
      MeterRegistry metrics) {
    this.pool = pool;
    this.from = from;
    this.clock = clock;
    this.metrics = metrics;
    this.client = smtp.map(url -> MailClient.create(vertx, config(url)));
    Meters.gauge(metrics, "cg_mail_pending", "E-mails queued and not sent yet", pending);
    Meters.gauge(metrics, "cg_mail_dead", "E-mails given up after their last attempt (see /v1/admin/mail/dead)",
        dead);
    if (smtp.isEmpty()) {
      LOG.warn("no SMTP server configured (CG_SMTP_URL): account e-mails are queued, not sent");
    }
  }

  static MailConfig config(SmtpUrl url) {
    MailConfig c = new MailConfig().setHostname(url.host()).setPort(url.port()).setSsl(url.tls())
        .setStarttls(StartTLSOptions.valueOf(url.starttls().toUpperCase())).setConnectTimeout(5_000)
        .setKeepAlive(true).setMaxPoolSize(2);
    if (url.user() != null) {
      c.setLogin(LoginOption.REQUIRED).setUsername(url.user()).setPassword(url.password());
    } else {
      c.setLogin(LoginOption.DISABLED);
    }
    return c;
  }

  /** Runs {@code action} after a message of {@code kind} was accepted by the SMTP server. */
  public void afterSent(String kind, Function<Claimed, Future<Void>> action) {
    afterSent.put(kind, action);
  }

  /** For the detailed readiness: whether mail goes out, and what waits. */
  public JsonObject state() {
    return new JsonObject().put("status", client.isPresent() ? "UP" : "QUEUED_ONLY").put("pending", pending.get())
        .put("dead", dead.get());
  }

  /** One round: what is due goes out (nothing without SMTP); the queue's counts are refreshed. */
  public Future<Jobs.Report> run(boolean dryRun) {
    Future<Long> sent = client.isEmpty() || dryRun ? Future.succeededFuture(0L) : sendDue();
    return sent.compose(n -> pool.query(COUNTS).execute().map(rows -> {
      Row r = rows.iterator().next();
      pending.set(r.getLong("pending"));
      dead.set(r.getLong("dead"));
      return dryRun ? new Jobs.Report(Map.of(), List.of(pending.get() + " e-mails waiting"))
          : Jobs.Report.of(Map.of("sent", n));
    }));
  }

  private Future<Long> sendDue() {
    Instant now = clock.instant();
    return pool.preparedQuery(CLAIM).execute(Tuple.of(utc(now), utc(now.plus(LEASE)), BATCH)).compose(rows -> {
      List<Future<Boolean>> each = new ArrayList<>();
      for (Row r : rows) {
        each.add(send(r));
      }
      return Future.join(each).transform(ar -> Future.succeededFuture(
          each.stream().filter(f -> f.succeeded() && f.result()).count()));
    });
  }

  private Future<Boolean> send(Row r) {
    Claimed c = new Claimed(r.getLong("mail_id"), r.getString("dedupe_key"), r.getString("kind"),
        r.getString("site_id"), r.getString("account_id"));
    MailMessage message = new MailMessage().setFrom(from).setTo(r.getString("to_address"))
        .setSubject(r.getString("subject")).setText(r.getString("body_text")).setHtml(r.getString("body_html"))
        .addHeader("Message-ID", "<" + digest(c.dedupeKey()) + "@consent-gateway>")
        .addHeader("Auto-Submitted", "auto-generated");
    int attempts = r.getInteger("attempts");
    return client.get().sendMail(message).timeout(30, java.util.concurrent.TimeUnit.SECONDS).transform(ar -> {
      Instant now = clock.instant();
      if (ar.succeeded()) {
        Meters.counter(metrics, "cg_mail_sent_total", "E-mails accepted by the SMTP server, by kind", "kind", c.kind())
            .increment();
        Function<Claimed, Future<Void>> after = afterSent.get(c.kind());
        return pool.preparedQuery(SENT).execute(Tuple.of(c.id(), utc(now)))
            .compose(v -> after == null ? Future.succeededFuture() : after.apply(c)).map(true);
      }
      boolean last = attempts >= MAX_ATTEMPTS;
      String error = ar.cause().getClass().getSimpleName();
      Meters.counter(metrics, last ? "cg_mail_dead_letters_total" : "cg_mail_failures_total",
          last ? "E-mails given up after their last attempt" : "E-mail attempts that failed and will be retried",
          "kind", c.kind()).increment();
      if (last) {
        LOG.warn("e-mail given up [kind={}] [attempts={}] [error={}]", c.kind(), attempts, error);
      }
      return pool.preparedQuery(FAILED).execute(Tuple.of(c.id(), utc(now.plus(backoff(attempts))), error, last))
          .map(false);
    });
  }

  /** 1 minute, 2, 4 … capped at 6 hours. */
  static Duration backoff(int attempts) {
    return Duration.ofMinutes(Math.min(360, 1L << Math.min(attempts - 1, 9)));
  }

  /** The e-mails given up of these sites (all sites when {@code sites} is null), without addresses or texts. */
  public Future<List<JsonObject>> deadLetters(Set<String> sites) {
    return pool.preparedQuery(DEAD).execute(Tuple.of(siteArray(sites))).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new JsonObject().put("kind", r.getString("kind")).put("siteId", r.getString("site_id"))
            .put("attempts", r.getInteger("attempts")).put("lastError", r.getString("last_error"))
            .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString()));
      }
      return out;
    });
  }

  /** Puts the e-mails given up of these sites (all sites when {@code sites} is null) back in the queue. */
  public Future<Integer> requeueDead(Set<String> sites) {
    return pool.preparedQuery(REQUEUE).execute(Tuple.of(siteArray(sites), utc(clock.instant())))
        .map(r -> r.rowCount());
  }

  private static String[] siteArray(Set<String> sites) {
    return sites == null ? null : sites.toArray(String[]::new);
  }

  private static String digest(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)),
          0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.time.OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
