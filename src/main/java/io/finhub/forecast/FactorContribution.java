package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

/**
 * Why the model gives a contract its probability, one factor at a time.
 *
 * @param value the contract's value of the factor; null when unknown (it then counts as the average)
 * @param average the factor's mean over the training cases
 * @param coefficient change in log-odds per unit of the factor
 * @param contribution coefficient × (value − average): how far this factor moves the contract's
 *        log-odds from those of an average contract (positive raises the renewal probability)
 */
public record FactorContribution(RenewalFactor factor, Double value, double average, double coefficient, double contribution) {
    public FactorContribution {
        requireNonNull(factor, "factor is null");
    }
}
