package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * A what-if on the open renewals (of one segment, or all): every health score moved by
 * {@code healthShift} points (re-scored by the model) and every renewal probability cut by the
 * share {@code churnShock} (0.2 = a fifth more of the renewing value is lost). Adjusted figures keep
 * their overridden probabilities under a health shift, but take the churn shock.
 */
public record ForecastScenario(String name, int healthShift, Optional<String> segment, BigDecimal churnShock) {
    public ForecastScenario {
        requireNonNull(name, "name is null");
        requireNonNull(segment, "segment is null");
        requireNonNull(churnShock, "churnShock is null");
    }
}
