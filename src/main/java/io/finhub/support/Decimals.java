package io.finhub.support;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** Exact decimal arithmetic for measures: DuckDB divides decimals in floating point, so ratios are computed here. */
public final class Decimals {
    /** Scale of percentages and ratios: enough that a threshold like 10% is never crossed by rounding alone. */
    public static final int RATIO_SCALE = 4;
    public static final int MONEY_SCALE = 2;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Decimals() {}

    /** {@code numerator ÷ denominator}, empty when either is missing or the denominator is zero. */
    public static Optional<BigDecimal> ratio(BigDecimal numerator, BigDecimal denominator, int scale) {
        if (numerator == null || denominator == null || denominator.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(numerator.divide(denominator, scale, RoundingMode.HALF_EVEN));
    }

    /** {@code numerator ÷ denominator × 100} at {@link #RATIO_SCALE}. */
    public static Optional<BigDecimal> percent(BigDecimal numerator, BigDecimal denominator) {
        if (numerator == null || denominator == null || denominator.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(numerator.multiply(HUNDRED).divide(denominator, RATIO_SCALE, RoundingMode.HALF_EVEN));
    }

    public static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
