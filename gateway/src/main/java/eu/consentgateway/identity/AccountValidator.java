package eu.consentgateway.identity;

import eu.consentgateway.http.ApiError;
import eu.consentgateway.http.Bodies;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks an account document from a site backend; every refusal names the field and changes nothing. */
final class AccountValidator {
  static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}");
  private static final Pattern EMAIL = Pattern.compile(
      "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
      + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
  private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cc}]*");
  private static final Set<String> FIELDS = Set.of("name", "email", "phone", "address", "coordinates", "language",
      "opposition");
  private static final Set<String> ADDRESS = Set.of("street", "postalCode", "city", "country");

  private AccountValidator() {
  }

  static String accountId(String id) {
    if (id == null || !ACCOUNT_ID.matcher(id).matches()) {
      throw ApiError.badRequest("invalid_account_id", "account id must match " + ACCOUNT_ID.pattern());
    }
    return id;
  }

  /** The document, normalised: {@code name, email, phone, address, latitude, longitude, language, opposition}. */
  static JsonObject normalise(JsonObject in) {
    for (String key : in.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw ApiError.badRequest("unknown_field", "accounts have no field '" + key.substring(0, Math.min(40,
            key.length())) + "'");
      }
    }
    JsonObject out = new JsonObject();
    out.put("name", text(in, "name", 200, false));
    String email = text(in, "email", 254, true);
    if (!EMAIL.matcher(email).matches() || email.indexOf('@') > 64) {
      throw ApiError.badRequest("invalid_email", "'email' is not an e-mail address");
    }
    out.put("email", email);
    String phone = text(in, "phone", 16, false);
    if (phone != null && !PHONE.matcher(phone).matches()) {
      throw ApiError.badRequest("invalid_phone", "'phone' must be in E.164 form, such as +33612345678");
    }
    out.put("phone", phone);
    JsonObject address = Bodies.object(in, "address", false);
    if (address != null) {
      JsonObject a = new JsonObject();
      for (String key : address.fieldNames()) {
        if (!ADDRESS.contains(key)) {
          throw ApiError.badRequest("invalid_address", "addresses have street, postalCode, city and country");
        }
      }
      a.put("street", text(address, "street", 200, false));
      a.put("postalCode", text(address, "postalCode", 20, false));
      a.put("city", text(address, "city", 100, false));
      String country = text(address, "country", 100, false);
      if (country != null && !COUNTRY.matcher(country).matches()) {
        throw ApiError.badRequest("invalid_address", "'address.country' must be an ISO 3166 code such as FR");
      }
      a.put("country", country);
      out.put("address", a);
    }
    JsonObject coordinates = Bodies.object(in, "coordinates", false);
    if (coordinates != null) {
      out.put("latitude", degrees(coordinates, "latitude", 90));
      out.put("longitude", degrees(coordinates, "longitude", 180));
    }
    String language = text(in, "language", 2, false);
    if (language != null && !language.equals("fr") && !language.equals("en")) {
      throw ApiError.badRequest("invalid_language", "'language' must be fr or en");
    }
    out.put("language", language == null ? "fr" : language);
    Boolean opposition = Bodies.bool(in, "opposition");
    out.put("opposition", opposition != null && opposition);
    return out;
  }

  private static String text(JsonObject o, String field, int max, boolean required) {
    String s = Bodies.string(o, field, required, max);
    if (s != null && !NO_CONTROL.matcher(s).matches()) {
      throw ApiError.badRequest("invalid_field", "'" + field + "' holds control characters");
    }
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static double degrees(JsonObject o, String field, int bound) {
    Object v = o.getValue(field);
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || Math.abs(n.doubleValue()) > bound) {
      throw ApiError.badRequest("invalid_coordinates", "'coordinates." + field + "' must be a number from -" + bound
          + " to " + bound);
    }
    return n.doubleValue();
  }
}
