package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;

/**
 * One restriction of the partition a REPLACE batch replaces: {@code entity_id=US}, or for a date
 * or timestamp column a day, month or year: {@code posting_date=2025-03}.
 */
public record Partition(String column, String value) {
    public Partition {
        requireNonNull(column, "column is null");
        requireNonNull(value, "value is null");
    }

    /** Parses {@code column=value}. */
    public static Partition parse(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "partition '" + text + "' is not column=value, e.g. posting_date=2025-03");
        }
        return new Partition(text.substring(0, equals).trim(), text.substring(equals + 1).trim());
    }

    @Override
    public String toString() {
        return column + "=" + value;
    }
}
