package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One renewal in the forecast, model and adjusted side by side.
 *
 * @param amount the renewal value (the renewal opportunity, else twelve months of the subscription)
 * @param factors why the model gives this probability, for an open renewal scored by the model
 * @param adjustmentId the adjustment overriding this line, if any
 */
public record RenewalLine(String contractId, String customerId, String customerName, String segment, String productId, LocalDate endDate,
        String quarterLabel, String opportunityId, RenewalStatus status, BigDecimal amount, ProbabilitySource probabilitySource,
        BigDecimal modelProbability, BigDecimal modelExpected, String adjustmentId, BigDecimal adjustedProbability, BigDecimal adjustedAmount,
        BigDecimal adjustedExpected, Double healthScore, List<FactorContribution> factors) {
    public RenewalLine {
        requireNonNull(contractId, "contractId is null");
        requireNonNull(status, "status is null");
        factors = List.copyOf(factors);
    }
}
