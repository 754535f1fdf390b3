package io.finhub.support;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** Exact decimal arithmetic for measures: DuckDB divides decimals in floating point, so ratios are computed here. */
public final class Decimals {
    /**
     * Places percentages and ratios are shown to. Only for showing: rounding to 4 places moves a
     * 10.00004% overrun onto 10%, so a threshold is compared with the unrounded quotient
     * ({@link #exactPercent}), never with this.
     */
    public static final int RATIO_SCALE = 4;
    public static final int MONEY_SCALE = 2;
    /**
     * Places {@link #exactRatio} carries a quotient to. One that does not end within them gets a 5 one
     * place further, strictly between the same two neighbours as the true quotient: so it compares
     * with every number of at most this many places (alert thresholds have at most 4), and rounds to
     * fewer places, exactly as the true quotient does.
     */
    public static final int EXACT_SCALE = 12;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal STICKY_DIGIT = BigDecimal.valueOf(5, EXACT_SCALE + 1);

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

    /**
     * {@code numerator ÷ denominator} unrounded, for comparing with a threshold and rounding once
     * for display: exact when it ends within {@link #EXACT_SCALE} places, otherwise its first
     * {@link #EXACT_SCALE} places followed by a 5. Empty when either is missing or the denominator is zero.
     */
    public static Optional<BigDecimal> exactRatio(BigDecimal numerator, BigDecimal denominator) {
        if (numerator == null || denominator == null || denominator.signum() == 0) {
            return Optional.empty();
        }
        BigDecimal truncated = numerator.divide(denominator, EXACT_SCALE, RoundingMode.DOWN);
        if (truncated.multiply(denominator).compareTo(numerator) == 0) {
            return Optional.of(truncated);
        }
        int sign = numerator.signum() * denominator.signum();
        return Optional.of(sign < 0 ? truncated.subtract(STICKY_DIGIT) : truncated.add(STICKY_DIGIT));
    }

    /** {@code numerator ÷ denominator × 100} unrounded, as {@link #exactRatio}. */
    public static Optional<BigDecimal> exactPercent(BigDecimal numerator, BigDecimal denominator) {
        return exactRatio(numerator == null ? null : numerator.multiply(HUNDRED), denominator);
    }

    public static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
