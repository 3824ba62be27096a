package eu.consentgateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.support.TestGateway;
import eu.consentgateway.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
  @Test
  void aBatchRefusedForOneBadValueIsSplitSoTheOthersCommit() {
    String table = "batch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    TestStores.execute("CREATE TABLE public." + table + " (v text NOT NULL)");
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, TestStores.pg(), Database.Role.GATEWAY, 1, Duration.ofSeconds(5),
          Duration.ofSeconds(2));
      TestStores.execute("GRANT INSERT ON public." + table + " TO cg_gateway");
      // PostgreSQL refuses U+0000 in text with SQLSTATE 22P05 / 22021: the class of a bad value
      BatchWriter<String, Void> writer = new BatchWriter<>(64, 1, null, items -> pool
          .preparedQuery("INSERT INTO public." + table + " SELECT convert_from(decode(x, 'hex'), 'UTF8') "
              + "FROM unnest($1::text[]) AS x").execute(Tuple.of(items.toArray(String[]::new)))
          .map(r -> Collections.<Void>nCopies(items.size(), null)));
      List<Future<Void>> results = new ArrayList<>();
      // submitted while nothing runs yet: they go in one batch
      vertx.runOnContext(v -> {
        for (int i = 0; i < 16; i++) {
          results.add(writer.submit(i == 5 ? "6100" : hex("value-" + i)));
        }
      });
      TestGateway.await(vertx.timer(200).compose(t -> Future.join(results)).recover(e -> Future.succeededFuture()));
      for (int i = 0; i < 16; i++) {
        Future<Void> f = results.get(i);
        if (i == 5) {
          assertTrue(f.failed() && f.cause() instanceof ApiError e && e.status() == 400, String.valueOf(f.cause()));
        } else {
          assertTrue(f.succeeded(), i + ": " + f.cause());
        }
      }
      assertEquals(15, TestStores.count("SELECT count(*) FROM public." + table));
    } finally {
      TestGateway.await(vertx.close());
      TestStores.execute("DROP TABLE public." + table);
    }
  }

  private static String hex(String s) {
    return java.util.HexFormat.of().formatHex(s.getBytes());
  }
}
