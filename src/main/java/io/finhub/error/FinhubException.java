package io.finhub.error;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type FinHub raises on purpose. Its message is written for the API user and is
 * safe to show; anything else that escapes is reported as {@link ErrorCode#INTERNAL} without detail.
 */
public final class FinhubException extends RuntimeException {
    private final ErrorCode code;

    public FinhubException(ErrorCode code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public FinhubException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }
}
