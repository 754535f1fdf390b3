package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;

/** A page of realization by quarter and group; {@code dataAsOf} is the last day the facts cover. */
public record RealizationSummary(RealizationGrouping groupBy, String currency, long dataVersion, LocalDate dataAsOf, long totalCount,
        List<RealizationSummaryRow> rows) {
    public RealizationSummary {
        requireNonNull(groupBy, "groupBy is null");
        rows = List.copyOf(rows);
    }
}
