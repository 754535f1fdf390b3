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
    TIMEOUT(504),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
