package io.finhub.seed;

import java.time.Duration;
import java.util.Map;

/** Placeholder so the tree compiles while the seed generator is written (helper replaces this file). */
public record SeedSummary(Scale scale, Map<String, Long> rowCounts, Duration elapsed, long dataVersion) {}
