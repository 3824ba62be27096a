package eu.consentgateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Strict reading of request bodies and fields: anything off is an {@link ApiError}, never a 500. */
public final class Bodies {
  private Bodies() {
  }

  /** The body as a JSON object; refuses invalid UTF-8, malformed JSON and non-objects. */
  public static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiError.badRequest("empty_body", "a JSON object body is required");
    }
    return parseObject(body);
  }

  public static JsonObject parseObject(Buffer body) {
    String text = utf8(body);
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ApiError.badRequest("malformed_json", "the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw ApiError.badRequest("malformed_json", "the body must be a JSON object");
    }
    requireStorable(object, 0);
    return object;
  }

  /**
   * Refuses what PostgreSQL cannot store or what is not text at all: U+0000 and unpaired surrogates (both can be
   * written as JSON escapes), in keys and values at any depth. Found here, one bad value is the caller's 400
   * instead of a failed batch for everyone written with it.
   */
  static void requireStorable(Object value, int depth) {
    if (depth > 32) {
      throw ApiError.badRequest("malformed_json", "the body is nested too deeply");
    }
    if (value instanceof String s) {
      if (!storable(s)) {
        throw ApiError.badRequest("invalid_character",
            "a string holds U+0000 or an unpaired surrogate, which cannot be stored");
      }
    } else if (value instanceof JsonObject o) {
      for (var e : o) {
        requireStorable(e.getKey(), depth + 1);
        requireStorable(e.getValue(), depth + 1);
      }
    } else if (value instanceof JsonArray a) {
      for (Object item : a) {
        requireStorable(item, depth + 1);
      }
    }
  }

  /** Whether {@code s} is text PostgreSQL stores as given: no U+0000, no unpaired surrogate. */
  public static boolean storable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  public static String utf8(Buffer body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiError.badRequest("invalid_utf8", "the body is not valid UTF-8");
    }
  }

  public static String string(JsonObject o, String field, boolean required, int maxLength) {
    Object value = o.getValue(field);
    if (value == null) {
      if (required) {
        throw ApiError.badRequest("missing_field", "'" + field + "' is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' must be a string");
    }
    if (s.length() > maxLength) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' is longer than " + maxLength + " characters");
    }
    if (required && s.isBlank()) {
      throw ApiError.badRequest("missing_field", "'" + field + "' must not be empty");
    }
    return s;
  }

  public static String matching(JsonObject o, String field, boolean required, Pattern pattern) {
    String s = string(o, field, required, 256);
    if (s != null && !pattern.matcher(s).matches()) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' must match " + pattern.pattern());
    }
    return s;
  }

  public static JsonObject object(JsonObject o, String field, boolean required) {
    Object value = o.getValue(field);
    if (value == null) {
      if (required) {
        throw ApiError.badRequest("missing_field", "'" + field + "' is required");
      }
      return null;
    }
    if (!(value instanceof JsonObject j)) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' must be an object");
    }
    return j;
  }

  public static JsonArray array(JsonObject o, String field, boolean required) {
    Object value = o.getValue(field);
    if (value == null) {
      if (required) {
        throw ApiError.badRequest("missing_field", "'" + field + "' is required");
      }
      return null;
    }
    if (!(value instanceof JsonArray a)) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' must be an array");
    }
    return a;
  }

  public static Boolean bool(JsonObject o, String field) {
    Object value = o.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' must be true or false");
    }
    return b;
  }
}
