package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One open expansion opportunity in the forecast, model and adjusted side by side.
 *
 * @param alignedToRenewal true when it lands with the renewal of its contract and depends on it
 * @param modelProbability stage probability, times the renewal's model probability when aligned
 */
public record ExpansionLine(String opportunityId, String customerId, String customerName, String segment, String contractId, String stage,
        LocalDate expectedClose, String quarterLabel, boolean alignedToRenewal, BigDecimal amount, BigDecimal stageProbability,
        BigDecimal renewalProbability, BigDecimal modelProbability, BigDecimal modelExpected, String adjustmentId, BigDecimal adjustedProbability,
        BigDecimal adjustedAmount, BigDecimal adjustedExpected) {
    public ExpansionLine {
        requireNonNull(opportunityId, "opportunityId is null");
    }
}
