package io.finhub.error;

/**
 * The categories of failure a client can see. Each maps once to a GraphQL {@code extensions.code}
 * and once to an HTTP status, so every API layer reports the same problem the same way.
 */
public enum ErrorCode {
    BAD_REQUEST(400),
    UNKNOWN_MEASURE(400),
    UNKNOWN_DIMENSION(400),
    DIMENSION_NOT_ALLOWED(400),
    INVALID_FILTER(400),
    INVALID_DATE_RANGE(400),
    MISSING_FX_RATE(422),
    NOT_FOUND(404),
    DATABASE_IN_USE(409),
    /** An import batch broke the dataset's rules; nothing was written. */
    VALIDATION_FAILED(422),
    /** An idempotency key was reused for different data. */
    IDEMPOTENCY_CONFLICT(409),
    UNSUPPORTED_MEDIA_TYPE(415),
    TIMEOUT(504),
    /** Changes kept committing while an answer was read, so it could not be read at one data version; asking again answers. */
    DATA_CHANGING(503),
    /** An alert rule or webhook is malformed (threshold, target, window, URL); the message names the field. */
    INVALID_ALERT_RULE(400),
    /** Something with this id exists already. */
    ALREADY_EXISTS(409),
    /** A subscriber did not take its events as fast as they came and was dropped; it catches up from the history. */
    SLOW_SUBSCRIBER(503),
    /** A certified quarter was certified again without superseding its current certification. */
    ALREADY_CERTIFIED(409),
    /** No credentials, or credentials that are not valid (HTTP 401 with a WWW-Authenticate challenge). */
    UNAUTHENTICATED(401),
    /** Valid credentials without the scope, role or department the request needs. */
    FORBIDDEN(403),
    /** The token's requests per minute are used up; Retry-After says when to try again. */
    RATE_LIMITED(429),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
