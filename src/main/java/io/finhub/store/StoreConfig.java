package io.finhub.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the embedded store is opened.
 *
 * @param path DuckDB file, or empty for a private in-memory database (tests)
 * @param memoryLimit DuckDB {@code memory_limit}, e.g. {@code 2GB}
 * @param threads DuckDB worker threads, 0 for DuckDB's default (all cores)
 * @param fiscalStartMonth 1..12, the calendar month in which the fiscal year starts
 * @param reportingCurrency ISO 4217 code every money measure is reported in
 * @param key encrypts the file at rest when present (file databases only)
 */
public record StoreConfig(Optional<Path> path, String memoryLimit, int threads, int fiscalStartMonth, String reportingCurrency, Optional<DatabaseKey> key) {
    /**
     * DuckDB's memory limit when the command line gives none. With it the whole server stays under
     * 2 GB at the {@code m} scale even while it builds the derived tables of a fresh database (1.5 GB
     * at the peak, against 2.4 GB with a 2 GB limit), and no query is slower; the {@code l} scale
     * needs more (8GB) for those builds.
     */
    public static final String DEFAULT_MEMORY_LIMIT = "1GB";

    public StoreConfig {
        requireNonNull(path, "path is null");
        requireNonNull(key, "key is null");
        if (key.isPresent() && path.isEmpty()) {
            throw new IllegalArgumentException("a database key needs a database file; an in-memory database is never written to disk");
        }
        requireNonNull(memoryLimit, "memoryLimit is null");
        requireNonNull(reportingCurrency, "reportingCurrency is null");
        if (fiscalStartMonth < 1 || fiscalStartMonth > 12) {
            throw new IllegalArgumentException("fiscal start month must be 1..12, was " + fiscalStartMonth);
        }
        if (!reportingCurrency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("reporting currency must be an ISO 4217 code, was " + reportingCurrency);
        }
    }

    /** An unencrypted store. */
    public StoreConfig(Optional<Path> path, String memoryLimit, int threads, int fiscalStartMonth, String reportingCurrency) {
        this(path, memoryLimit, threads, fiscalStartMonth, reportingCurrency, Optional.empty());
    }

    public static StoreConfig inMemory() {
        return new StoreConfig(Optional.empty(), "2GB", 0, 1, "USD");
    }

    public static StoreConfig file(Path path) {
        return new StoreConfig(Optional.of(path), "2GB", 0, 1, "USD");
    }

    public StoreConfig withFiscalStartMonth(int month) {
        return new StoreConfig(path, memoryLimit, threads, month, reportingCurrency, key);
    }

    public StoreConfig withReportingCurrency(String currency) {
        return new StoreConfig(path, memoryLimit, threads, fiscalStartMonth, currency, key);
    }

    /** The same store, its file encrypted with {@code databaseKey}. */
    public StoreConfig withKey(DatabaseKey databaseKey) {
        return new StoreConfig(path, memoryLimit, threads, fiscalStartMonth, reportingCurrency, Optional.of(databaseKey));
    }
}
