package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

/**
 * One factor of the fitted renewal model.
 *
 * @param standardisedCoefficient change in log-odds per standard deviation of the factor: comparable across factors
 * @param coefficient change in log-odds per unit of the factor
 */
public record FactorWeight(RenewalFactor factor, String description, double average, double standardDeviation, double standardisedCoefficient,
        double coefficient) {
    public FactorWeight {
        requireNonNull(factor, "factor is null");
    }
}
