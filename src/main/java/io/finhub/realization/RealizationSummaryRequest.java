package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Which realization summary to build: quarters overlapping [from, to] (all up to the data as-of
 * date when unbounded), optionally only contracts at risk of under-delivery, paged.
 */
public record RealizationSummaryRequest(RealizationGrouping groupBy, Optional<LocalDate> from, Optional<LocalDate> to, boolean atRiskOnly,
        int limit, int offset) {
    public RealizationSummaryRequest {
        requireNonNull(groupBy, "groupBy is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
    }
}
