package io.finhub.budget;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsRequest.Filter;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A budget-against-actual report: breakdown, dates, budget version, filters and the day that
 * counts as "today" for run-rate projections.
 */
public record BudgetVarianceRequest(List<BudgetDimension> by, Optional<LocalDate> from, Optional<LocalDate> to, BudgetVersion version,
        List<Filter> filters, LocalDate asOf, int limit, int offset) {
    public BudgetVarianceRequest {
        by = List.copyOf(requireNonNull(by, "by is null"));
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(version, "version is null");
        filters = List.copyOf(requireNonNull(filters, "filters is null"));
        requireNonNull(asOf, "asOf is null");
    }

    public enum BudgetVersion {
        ORIGINAL,
        REFORECAST
    }
}
