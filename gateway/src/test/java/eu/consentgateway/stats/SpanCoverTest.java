package eu.consentgateway.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** How a range of days is read: aligned spans where they are built, single days for the rest. */
class SpanCoverTest {
  private static Set<StatsStore.Span> allSpans(LocalDate from, LocalDate to) {
    Set<StatsStore.Span> ready = new HashSet<>();
    for (LocalDate d = from.minusDays(64); !d.isAfter(to); d = d.plusDays(1)) {
      for (int length : Rollups.SPAN_DAYS) {
        ready.add(new StatsStore.Span(length, Rollups.spanStart(d, length)));
      }
    }
    return ready;
  }

  /** Every day of the range, once, from the cover's days and spans. */
  private static TreeSet<LocalDate> daysOf(StatsStore.Cover c) {
    TreeSet<LocalDate> out = new TreeSet<>();
    for (LocalDate d : c.days()) {
      assertTrue(out.add(d), "day " + d + " read twice");
    }
    for (int i = 0; i < c.spans().length; i++) {
      LocalDate start = c.starts()[i];
      assertEquals(start, Rollups.spanStart(start, c.spans()[i]), "a span starts on its boundary");
      for (int j = 0; j < c.spans()[i]; j++) {
        assertTrue(out.add(start.plusDays(j)), "day " + start.plusDays(j) + " read twice");
      }
    }
    return out;
  }

  @Test
  void aCoverReadsEveryDayOfTheRangeOnceAndNothingElse() {
    LocalDate base = LocalDate.of(2026, 1, 1);
    for (int offset = 0; offset < 70; offset += 3) {
      for (int length : new int[] {1, 2, 7, 30, 31, 90, 400}) {
        LocalDate from = base.plusDays(offset);
        LocalDate to = from.plusDays(length - 1);
        StatsStore.Cover c = StatsStore.cover(from, to, allSpans(from, to));
        TreeSet<LocalDate> days = daysOf(c);
        assertEquals(length, days.size(), from + ".." + to);
        assertEquals(from, days.first());
        assertEquals(to, days.last());
      }
    }
  }

  @Test
  void aMonthIsReadAsAFewSpansInsteadOfThirtyDays() {
    LocalDate from = LocalDate.of(2026, 11, 1);
    LocalDate to = LocalDate.of(2026, 11, 30);
    StatsStore.Cover c = StatsStore.cover(from, to, allSpans(from, to));
    assertTrue(c.days().length + c.spans().length <= 10, "pieces: " + c.days().length + " days, "
        + c.spans().length + " spans");
    StatsStore.Cover year = StatsStore.cover(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31),
        allSpans(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)));
    assertTrue(year.days().length + year.spans().length <= 16, "pieces: " + year.days().length + " days, "
        + year.spans().length + " spans");
  }

  @Test
  void spansNotBuiltAreReadAsTheirDays() {
    LocalDate from = LocalDate.of(2026, 11, 1);
    LocalDate to = LocalDate.of(2026, 11, 30);
    StatsStore.Cover none = StatsStore.cover(from, to, Set.of());
    assertEquals(30, none.days().length);
    assertEquals(0, none.spans().length);
    Set<StatsStore.Span> some = allSpans(from, to);
    some.removeIf(s -> s.length() == 16 || s.length() == 8);
    StatsStore.Cover partial = StatsStore.cover(from, to, some);
    assertEquals(30, daysOf(partial).size());
    for (Short length : partial.spans()) {
      assertTrue(length != 16 && length != 8, "a span that is not built is not read");
    }
  }
}
