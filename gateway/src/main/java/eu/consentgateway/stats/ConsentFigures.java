package eu.consentgateway.stats;

import eu.consentgateway.http.Csv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The consent funnel of a range, by day, ISO week or calendar month: banners shown, choices by method,
 * withdrawals, each purpose granted and refused, the opt-in rate of each purpose (choices granting it ÷ banners
 * shown) and the interaction rate (choices ÷ banners shown).
 */
final class ConsentFigures {
  static final String[] COUNTS = {"notices", "choices", "accept_all", "reject_all", "custom", "gpc", "dismiss",
      "withdrawals"};
  private static final String[] NAMES = {"notices", "choices", "acceptAll", "rejectAll", "custom", "gpc", "dismiss",
      "withdrawals"};

  private ConsentFigures() {
  }

  /** One bucket's sums. */
  static final class Bucket {
    final LocalDate start;
    final LocalDate end;
    final long[] counts = new long[COUNTS.length];
    final Map<String, long[]> purposes = new LinkedHashMap<>();

    Bucket(LocalDate start, LocalDate end) {
      this.start = start;
      this.end = end;
    }

    void add(StatsStore.ConsentDay day) {
      for (int i = 0; i < COUNTS.length; i++) {
        counts[i] += day.counts().get(COUNTS[i]);
      }
      day.purposes().forEach((p, gr) -> {
        long[] sum = purposes.computeIfAbsent(p, x -> new long[2]);
        sum[0] += gr[0];
        sum[1] += gr[1];
      });
    }

    JsonObject toJson(List<String> purposeIds) {
      JsonObject out = new JsonObject();
      if (start != null) {
        out.put("start", start.toString()).put("end", end.toString());
      }
      for (int i = 0; i < NAMES.length; i++) {
        out.put(NAMES[i], counts[i]);
      }
      JsonObject ps = new JsonObject();
      for (String p : purposeIds) {
        long[] gr = purposes.getOrDefault(p, new long[2]);
        ps.put(p, new JsonObject().put("granted", gr[0]).put("refused", gr[1]).put("optInRate", rate(gr[0])));
      }
      return out.put("purposes", ps).put("interactionRate", rate(counts[1]));
    }

    private Double rate(long n) {
      return counts[0] == 0 ? null : Math.round(10_000.0 * n / counts[0]) / 10_000.0;
    }
  }

  /** Buckets covering [from, to] by {@code interval}, filled with the days given. */
  static List<Bucket> buckets(LocalDate from, LocalDate to, String interval, List<StatsStore.ConsentDay> days) {
    List<Bucket> out = new ArrayList<>();
    for (LocalDate s = from; !s.isAfter(to); ) {
      LocalDate end = switch (interval) {
        case "week" -> s.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
        case "month" -> s.with(TemporalAdjusters.lastDayOfMonth());
        default -> s;
      };
      if (end.isAfter(to)) {
        end = to;
      }
      out.add(new Bucket(s, end));
      s = end.plusDays(1);
    }
    int i = 0;
    for (StatsStore.ConsentDay d : days) {
      while (i < out.size() && d.day().isAfter(out.get(i).end)) {
        i++;
      }
      if (i < out.size()) {
        out.get(i).add(d);
      }
    }
    return out;
  }

  static Bucket total(List<StatsStore.ConsentDay> days) {
    Bucket b = new Bucket(null, null);
    days.forEach(b::add);
    return b;
  }

  static JsonArray json(List<Bucket> buckets, List<String> purposeIds) {
    JsonArray out = new JsonArray();
    buckets.forEach(b -> out.add(b.toJson(purposeIds)));
    return out;
  }

  /** One row per bucket: the counts, then granted, refused and opt-in rate per purpose, then the interaction rate. */
  static String csv(List<Bucket> buckets, List<String> purposeIds) {
    List<Object> header = new ArrayList<>(List.of("start", "end"));
    header.addAll(List.of(NAMES));
    for (String p : purposeIds) {
      header.addAll(List.of(p + "_granted", p + "_refused", p + "_opt_in_rate"));
    }
    header.add("interaction_rate");
    Csv csv = new Csv().row(header);
    for (Bucket b : buckets) {
      JsonObject j = b.toJson(purposeIds);
      List<Object> row = new ArrayList<>(List.of(j.getString("start"), j.getString("end")));
      for (String n : NAMES) {
        row.add(j.getLong(n));
      }
      for (String p : purposeIds) {
        JsonObject pj = j.getJsonObject("purposes").getJsonObject(p);
        row.add(pj.getLong("granted"));
        row.add(pj.getLong("refused"));
        row.add(pj.getValue("optInRate"));
      }
      row.add(j.getValue("interactionRate"));
      csv.row(row);
    }
    return csv.toString();
  }
}
