package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A recorded customer-success outcome and its allocation to programmes and activities.
 *
 * @param reportingAmount the amount in the reporting currency at the outcome day's rate
 * @param method {@code manual}, {@code health-uplift} or {@code equal-split}
 */
public record AttributionCsOutcome(String outcomeId, String customerId, AttributionCsOutcomeType outcomeType, String reference, LocalDate outcomeDate,
        BigDecimal amount, String currencyCode, BigDecimal reportingAmount, String reportingCurrency, String method, String note,
        List<Allocation> allocations, long dataVersion) {
    public AttributionCsOutcome {
        requireNonNull(outcomeId, "outcomeId is null");
        allocations = List.copyOf(allocations);
    }

    /**
     * One programme's part of an outcome.
     *
     * @param amount in the reporting currency
     * @param evidence why: for a computed allocation a JSON object with the scores, dates and weights used
     */
    public record Allocation(String programId, String programName, String activityId, BigDecimal share, BigDecimal amount, String evidence) {}
}
