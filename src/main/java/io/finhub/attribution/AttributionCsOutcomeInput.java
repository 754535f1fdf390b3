package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A customer-success outcome to record: its value in its own currency, the day it happened, an
 * optional reference (a deal or renewal opportunity id: the recorded outcome then supersedes the
 * computed credit of that outcome), and optionally how to allocate it. Without allocations the
 * documented method allocates it over the customer's CS activities.
 */
public record AttributionCsOutcomeInput(AttributionCsOutcomeType outcomeType, BigDecimal amount, String currency, LocalDate outcomeDate,
        String reference, String note, List<Allocation> allocations) {
    public AttributionCsOutcomeInput {
        requireNonNull(outcomeType, "outcomeType is null");
        requireNonNull(amount, "amount is null");
        requireNonNull(currency, "currency is null");
        requireNonNull(outcomeDate, "outcomeDate is null");
        allocations = allocations == null ? List.of() : List.copyOf(allocations);
    }

    /**
     * A manual share of the outcome for a programme (and optionally one of its activities), with
     * the evidence that justifies it. The shares of an outcome sum to exactly 1.
     */
    public record Allocation(String programId, String activityId, BigDecimal share, String evidence) {
        public Allocation {
            requireNonNull(programId, "programId is null");
            requireNonNull(share, "share is null");
            requireNonNull(evidence, "evidence is null");
        }
    }
}
