package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.realization.Evidence;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A recorded forecast adjustment, immutable, with the model figures it overrode beside the adjusted
 * ones (model figures as of {@code modelAsOf}; null when the line was not in the forecast then).
 *
 * @param adjustedProbability the probability set, null when only the amount was
 * @param adjustedAmount the amount set, null when only the probability was
 * @param cleared true when this adjustment withdraws the previous one
 * @param supersedesId the previous adjustment of the same line, if any
 */
public record ForecastAdjustment(String adjustmentId, AdjustmentTarget targetKind, String targetId, String customerId,
        BigDecimal adjustedProbability, BigDecimal adjustedAmount, boolean cleared, BigDecimal modelProbability, BigDecimal modelAmount,
        BigDecimal modelExpected, BigDecimal adjustedExpected, LocalDate modelAsOf, String currency, String reason, String adjustedBy,
        String supersedesId, long basisDataVersion, Instant adjustedAt, List<Evidence> evidence) {
    public ForecastAdjustment {
        requireNonNull(adjustmentId, "adjustmentId is null");
        requireNonNull(targetKind, "targetKind is null");
        requireNonNull(targetId, "targetId is null");
        evidence = List.copyOf(evidence);
    }
}
