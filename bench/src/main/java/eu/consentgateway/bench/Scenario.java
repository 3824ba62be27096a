package eu.consentgateway.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Random;

/**
 * What a load run sends: each request's body and headers, built fresh, and what to record from each answer.
 * One instance serves every event loop of a run, so implementations keep only immutable state after
 * {@link #prepare}.
 */
interface Scenario {

  /** One request to send; {@code sentId} is an id the request itself carries (e.g. an event id), or null. */
  record Outgoing(Buffer body, MultiMap headers, String sentId) {
  }

  String name();

  /** Runs once before any load, e.g. to obtain consent tokens; bounded in time. */
  default Future<Void> prepare(Vertx vertx) {
    return Future.succeededFuture();
  }

  /** The next request; called on an event loop, with that loop's own random source. */
  Outgoing next(Random rnd);

  /** What to record from an answer (e.g. the new consent's id), or null to record nothing. */
  default String recorded(Outgoing sent, int status, Buffer body) {
    return null;
  }

  /** The scenario's parameters, for the results file. */
  default JsonObject describe() {
    return new JsonObject().put("name", name());
  }
}
