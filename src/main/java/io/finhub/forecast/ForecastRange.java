package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * Percentiles of a forecast amount: P10 is the amount the outcome falls short of with probability
 * 10 % at most (the smallest amount v with P(outcome ≤ v) ≥ 0.10), likewise P50 and P90.
 */
public record ForecastRange(BigDecimal p10, BigDecimal p50, BigDecimal p90, IntervalMethod method, int uncertainOutcomes) {
    public ForecastRange {
        requireNonNull(p10, "p10 is null");
        requireNonNull(p50, "p50 is null");
        requireNonNull(p90, "p90 is null");
        requireNonNull(method, "method is null");
    }
}
