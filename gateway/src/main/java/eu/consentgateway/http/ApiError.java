package eu.consentgateway.http;

/** A caller's mistake (or a known refusal): becomes a 4xx with {@code {"error","message"}} and no stack. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final long retryAfterSeconds;

  public ApiError(int status, String code, String message) {
    this(status, code, message, 0);
  }

  /** With {@code Retry-After} (seconds) when positive: 429 and 503. */
  public ApiError(int status, String code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static ApiError tooManyRequests(long retryAfterSeconds) {
    return new ApiError(429, "rate_limited", "too many requests from this network; retry after "
        + retryAfterSeconds + " s", retryAfterSeconds);
  }

  /** A store cannot answer now: the caller should retry shortly; nothing was changed. */
  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message, 5);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, "not_found", what + " not found");
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, "conflict", message);
  }
}
