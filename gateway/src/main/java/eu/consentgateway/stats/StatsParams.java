package eu.consentgateway.stats;

import eu.consentgateway.http.ApiError;
import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The query of a statistics request, checked before anything is computed; every refusal is a 400 naming it. */
record StatsParams(LocalDate from, LocalDate to, String dimension, int limit, int offset, String interval,
    boolean comparePrevious) {

  static final List<String> DIMENSIONS = List.of("page", "referrer", "browser", "os", "device", "country",
      "language", "day");
  static final List<String> INTERVALS = List.of("day", "week", "month");
  static final int MAX_DAYS = 400;

  static StatsParams parse(MultiMap q, boolean needsDimension) {
    LocalDate from = date(q.get("from"), "from");
    LocalDate to = date(q.get("to"), "to");
    if (from.isAfter(to)) {
      throw ApiError.badRequest("invalid_range", "'from' is after 'to'");
    }
    if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
      throw ApiError.badRequest("range_too_long", "a range covers at most " + MAX_DAYS + " days");
    }
    String dimension = q.get("dimension");
    if (needsDimension && (dimension == null || !DIMENSIONS.contains(dimension))) {
      throw ApiError.badRequest("invalid_dimension", "'dimension' must be one of " + String.join(", ", DIMENSIONS));
    }
    int limit = integer(q.get("limit"), "limit", 100, 1, 1000);
    int offset = integer(q.get("offset"), "offset", 0, 0, 1_000_000);
    String interval = q.get("interval") == null ? "day" : q.get("interval");
    if (!INTERVALS.contains(interval)) {
      throw ApiError.badRequest("invalid_interval", "'interval' must be day, week or month");
    }
    String compare = q.get("compare");
    if (compare != null && !compare.equals("previous")) {
      throw ApiError.badRequest("invalid_compare", "'compare' can only be 'previous'");
    }
    return new StatsParams(from, to, dimension, limit, offset, interval, compare != null);
  }

  /** The period of equal length just before this one. */
  StatsParams previous() {
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    return new StatsParams(from.minusDays(days), from.minusDays(1), dimension, limit, offset, interval, false);
  }

  private static LocalDate date(String text, String name) {
    if (text == null) {
      throw ApiError.badRequest("invalid_date", "'" + name + "' is required (YYYY-MM-DD)");
    }
    try {
      if (!text.matches("\\d{4}-\\d{2}-\\d{2}")) {
        throw new DateTimeParseException("shape", text, 0);
      }
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("invalid_date", "'" + name + "' must be a date as YYYY-MM-DD");
    }
  }

  private static int integer(String text, String name, int def, int min, int max) {
    if (text == null) {
      return def;
    }
    try {
      int v = Integer.parseInt(text);
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("invalid_" + name, "'" + name + "' must be a whole number from " + min + " to " + max);
    }
  }
}
