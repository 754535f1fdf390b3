package io.finhub.cache;

import static java.util.Objects.requireNonNull;

import io.finhub.store.StoreConfig;
import io.finhub.support.BuildFingerprint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How answers are cached and bounded.
 *
 * @param resultCacheBytes bound of the in-memory result cache, in bytes of cached responses
 * @param diskTierBytes bound of the disk tier, in bytes
 * @param diskDirectory where the disk tier persists, beside the DuckDB file; empty for none (an in-memory store)
 * @param queryTimeout how long one GraphQL request may run before its DuckDB statements are cancelled
 * @param cacheableFields root fields whose answer depends only on the committed data (the data version) and the
 *        date: a query is cached only when every root field it selects is one of them. Operational fields
 *        (alerts, webhook deliveries) change without a new data version and must not be listed.
 * @param diskFields root fields answered by an expensive model; a query selecting only these is also kept on disk
 * @param warmAfterChange how many of the most-asked cached answers are computed again in the background after
 *        each committed change, once the derived tables are rebuilt, so the dashboards' next viewers find them
 *        cached; 0 for none (the default of servers started in code; {@code serve} keeps {@link #DEFAULT_WARM_AFTER_CHANGE})
 * @param configuration what besides the data and the question shapes an answer: the store's reporting currency and
 *        fiscal start month and the running build ({@link #configurationOf}). Part of every result key, so a disk tier
 *        written by a server with another currency, fiscal year or code is never read as this one's answers.
 */
public record CacheSettings(long resultCacheBytes, long diskTierBytes, Optional<Path> diskDirectory, Duration queryTimeout,
        Set<String> cacheableFields, Set<String> diskFields, int warmAfterChange, String configuration) {
    /** The analytic root fields of the schema; see {@link #cacheableFields()} for what may be added. */
    public static final Set<String> ANALYTIC_FIELDS = Set.of(
            "metrics", "catalog", "dataVersion", "datasets",
            "budgetVariance",
            "roi", "productRoi", "retentionRoi",
            "mrrMovements", "retention", "recognizedRevenue",
            "attribution", "attributionJourney", "portfolio",
            "realization", "realizationSummary", "realizationCertifications",
            "portfolioForecast", "forecast", "renewalModel", "forecastAdjustments", "forecastBacktest", "budgetVarianceForecast");
    /**
     * Model reports worth keeping across restarts: attribution (all seven models), customer-success
     * attribution, and the renewal forecast (a fitted model, exact or simulated ranges) with its backtest.
     */
    public static final Set<String> MODEL_FIELDS = Set.of("attribution", "portfolio", "portfolioForecast", "forecast", "renewalModel", "forecastBacktest");
    public static final long DEFAULT_RESULT_CACHE_BYTES = 256L << 20;
    public static final long DEFAULT_DISK_TIER_BYTES = 512L << 20;
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_WARM_AFTER_CHANGE = 24;

    public CacheSettings {
        requireNonNull(diskDirectory, "diskDirectory is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
        requireNonNull(configuration, "configuration is null");
        cacheableFields = Set.copyOf(requireNonNull(cacheableFields, "cacheableFields is null"));
        diskFields = Set.copyOf(requireNonNull(diskFields, "diskFields is null"));
        if (resultCacheBytes < 0 || diskTierBytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
        if (warmAfterChange < 0) {
            throw new IllegalArgumentException("the number of answers to warm after a change must not be negative, was " + warmAfterChange);
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("the query timeout must be positive, was " + queryTimeout);
        }
    }

    /** The defaults over a store: the disk tier in {@code <database file>.cache/} beside the DuckDB file. */
    public static CacheSettings defaults(StoreConfig store) {
        return new CacheSettings(DEFAULT_RESULT_CACHE_BYTES, DEFAULT_DISK_TIER_BYTES, diskDirectoryBeside(store), DEFAULT_QUERY_TIMEOUT,
                ANALYTIC_FIELDS, MODEL_FIELDS, 0, configurationOf(store));
    }

    /**
     * The settings of {@code store} that change figures (the reporting currency every amount is
     * converted to, the fiscal start month that periods are cut by) and the running build; not its
     * path, memory limit, threads or key, which change no answer.
     */
    public static String configurationOf(StoreConfig store) {
        return "currency=" + store.reportingCurrency() + ";fiscalStartMonth=" + store.fiscalStartMonth() + ";build=" + BuildFingerprint.value();
    }

    public static Optional<Path> diskDirectoryBeside(StoreConfig store) {
        return store.path().map(path -> path.toAbsolutePath().resolveSibling(path.getFileName() + ".cache"));
    }

    public CacheSettings withQueryTimeout(Duration timeout) {
        return new CacheSettings(resultCacheBytes, diskTierBytes, diskDirectory, timeout, cacheableFields, diskFields, warmAfterChange, configuration);
    }

    public CacheSettings withResultCacheBytes(long bytes) {
        return new CacheSettings(bytes, diskTierBytes, diskDirectory, queryTimeout, cacheableFields, diskFields, warmAfterChange, configuration);
    }

    public CacheSettings withDiskDirectory(Optional<Path> directory) {
        return new CacheSettings(resultCacheBytes, diskTierBytes, directory, queryTimeout, cacheableFields, diskFields, warmAfterChange, configuration);
    }

    public CacheSettings withWarmAfterChange(int answers) {
        return new CacheSettings(resultCacheBytes, diskTierBytes, diskDirectory, queryTimeout, cacheableFields, diskFields, answers, configuration);
    }
}
