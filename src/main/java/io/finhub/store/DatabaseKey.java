package io.finhub.store;

import static java.util.Objects.requireNonNull;

/**
 * The key the DuckDB file is encrypted with (AES, DuckDB's {@code ENCRYPTION_KEY}). Its
 * {@code toString} never shows it, so a logged {@link StoreConfig} does not leak it.
 */
public final class DatabaseKey {
    private final String value;

    private DatabaseKey(String value) {
        this.value = value;
    }

    public static DatabaseKey of(String value) {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the database key is empty");
        }
        return new DatabaseKey(value);
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "DatabaseKey[redacted]";
    }
}
