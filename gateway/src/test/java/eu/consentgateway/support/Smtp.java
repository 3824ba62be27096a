package eu.consentgateway.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;

/** A real SMTP server in the JVM (GreenMail) on a free loopback port, to read what the gateway sent. */
public final class Smtp implements AutoCloseable {
  /** One received message: to, subject, and its plain-text and HTML parts. */
  public record Message(String to, String subject, String text, String html, String messageId) {
  }

  private final int port;
  private GreenMail server;

  public Smtp() {
    this.port = TestStores.freePort();
    start();
  }

  public void start() {
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
  }

  /** Stops listening (the gateway sees a server that is down). */
  public void stop() {
    server.stop();
  }

  /** CG_SMTP_URL for this server (no TLS: it is loopback). */
  public String url() {
    return "smtp://127.0.0.1:" + port + "?starttls=disabled";
  }

  public List<Message> received() {
    List<Message> out = new ArrayList<>();
    try {
      for (MimeMessage m : server.getReceivedMessages()) {
        String body = GreenMailUtil.getBody(m);
        out.add(new Message(m.getAllRecipients()[0].toString(), m.getSubject(), textPart(m), body,
            m.getMessageID()));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static String textPart(MimeMessage m) throws Exception {
    Object content = m.getContent();
    if (content instanceof jakarta.mail.Multipart mp) {
      StringBuilder all = new StringBuilder();
      collect(mp, all);
      return all.toString();
    }
    return String.valueOf(content);
  }

  private static void collect(jakarta.mail.Multipart mp, StringBuilder out) throws Exception {
    for (int i = 0; i < mp.getCount(); i++) {
      var part = mp.getBodyPart(i);
      Object c = part.getContent();
      if (c instanceof jakarta.mail.Multipart inner) {
        collect(inner, out);
      } else if (part.isMimeType("text/plain")) {
        out.append(c);
      }
    }
  }

  /** Messages sent to {@code address}. */
  public List<Message> to(String address) {
    return received().stream().filter(m -> m.to().equalsIgnoreCase(address)).toList();
  }

  @Override
  public void close() {
    server.stop();
  }
}
