package eu.consentgateway.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ids (UUIDs) of accepted answers, as two longs each in fixed chunks of 512 KB. Kept as strings they were a
 * live set growing by a few MB a second that every young collection of the generator copied again: pauses of
 * 8 to 22 ms every second of a paced run, each one added to the latency of every request then in flight.
 * A chunk is allocated once, outside the young generation (G1 places an array of half a region or more there
 * directly), and never copied.
 */
final class RecordedIds {
  static final int CHUNK = 1 << 16; // longs, two per id

  private final List<long[]> chunks = new ArrayList<>();
  private long[] current;
  private int used = CHUNK; // longs used in the last chunk

  private interface IdConsumer<E extends Exception> {
    void accept(long msb, long lsb) throws E;
  }

  void add(String id) {
    UUID u = UUID.fromString(id);
    add(u.getMostSignificantBits(), u.getLeastSignificantBits());
  }

  void addAll(RecordedIds other) {
    other.forEach(this::add);
  }

  private void add(long msb, long lsb) {
    if (used == CHUNK) {
      current = new long[CHUNK];
      chunks.add(current);
      used = 0;
    }
    current[used++] = msb;
    current[used++] = lsb;
  }

  long size() {
    return chunks.isEmpty() ? 0 : ((long) (chunks.size() - 1) * CHUNK + used) / 2;
  }

  /** One id per line, in the order they were added. */
  void write(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      forEach((msb, lsb) -> {
        out.write(new UUID(msb, lsb).toString());
        out.write('\n');
      });
    }
  }

  private <E extends Exception> void forEach(IdConsumer<E> consumer) throws E {
    for (int c = 0; c < chunks.size(); c++) {
      long[] chunk = chunks.get(c);
      int end = c == chunks.size() - 1 ? used : CHUNK;
      for (int i = 0; i < end; i += 2) {
        consumer.accept(chunk[i], chunk[i + 1]);
      }
    }
  }
}
