package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
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
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "the period starts (%s) after it ends (%s)".formatted(from.get(), to.get()));
        }
    }
}
