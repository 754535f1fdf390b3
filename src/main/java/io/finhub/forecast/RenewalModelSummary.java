package io.finhub.forecast;

import java.time.LocalDate;
import java.util.List;

/**
 * The fitted renewal model: what it learned from and its weights.
 *
 * @param trainedThrough renewals decided on or before this day were the training cases
 * @param averageProbability the probability of a contract with every factor at its average
 */
public record RenewalModelSummary(LocalDate trainedThrough, int trainingCases, int renewedCases, double observedRenewalRate, double intercept,
        double averageProbability, List<FactorWeight> factors) {
    public RenewalModelSummary {
        factors = List.copyOf(factors);
    }
}
