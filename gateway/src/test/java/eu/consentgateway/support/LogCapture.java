package eu.consentgateway.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures everything the gateway logs, down to DEBUG, so a test can assert what never appears in it. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level previous;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    this("eu.consentgateway");
  }

  /** Everything every library logs (Vert.x, Netty, the gateway), from WARN up, plus the gateway's DEBUG. */
  public static LogCapture everything() {
    return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private LogCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    previous = logger.getLevel();
    appender.start();
    logger.addAppender(appender);
    if (!org.slf4j.Logger.ROOT_LOGGER_NAME.equals(name)) {
      logger.setLevel(Level.DEBUG);
    }
  }

  /** How many captured lines carry a stack trace. */
  public long stackTraces() {
    return List.copyOf(appender.list).stream().filter(e -> e.getThrowableProxy() != null).count();
  }

  public String text() {
    List<ILoggingEvent> events = List.copyOf(appender.list);
    return events.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
        : " " + e.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }
}
