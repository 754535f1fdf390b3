package io.finhub.seed;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a seeding run produced.
 *
 * @param scale the generated size
 * @param rowCounts rows per seeded table, dimensions first, in generation order
 * @param elapsed wall time of the whole run
 * @param dataVersion the data version the seed committed as
 */
public record SeedSummary(Scale scale, Map<String, Long> rowCounts, Duration elapsed, long dataVersion) {
    public SeedSummary {
        requireNonNull(scale, "scale is null");
        requireNonNull(elapsed, "elapsed is null");
        rowCounts = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(rowCounts, "rowCounts is null")));
    }
}
