package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * When a rule's scope is breached. With {@link Baseline#NONE} the measure's value itself is compared
 * with the threshold; with {@link Baseline#TARGET} or {@link Baseline#PREVIOUS_PERIOD} it is the
 * percentage deviation (value − baseline) ÷ |baseline| × 100, so "revenue below target by more than
 * 5%" is {@code TARGET, BELOW, -5} and "cost up more than 15% on the previous month" is
 * {@code PREVIOUS_PERIOD, ABOVE, 15}.
 *
 * @param targetMeasure for {@link Baseline#TARGET}: a measure of the same row (budget, say)
 * @param targetValue for {@link Baseline#TARGET}: a fixed target in the measure's unit
 */
public record AlertCondition(Comparison comparison, BigDecimal threshold, Baseline baseline, Optional<String> targetMeasure,
        Optional<BigDecimal> targetValue) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public AlertCondition {
        requireNonNull(comparison, "comparison is null");
        requireNonNull(threshold, "threshold is null");
        requireNonNull(baseline, "baseline is null");
        requireNonNull(targetMeasure, "targetMeasure is null");
        requireNonNull(targetValue, "targetValue is null");
    }

    public static AlertCondition value(Comparison comparison, String threshold) {
        return new AlertCondition(comparison, new BigDecimal(threshold), Baseline.NONE, Optional.empty(), Optional.empty());
    }

    public static AlertCondition againstMeasure(Comparison comparison, String thresholdPct, String targetMeasure) {
        return new AlertCondition(comparison, new BigDecimal(thresholdPct), Baseline.TARGET, Optional.of(targetMeasure), Optional.empty());
    }

    public static AlertCondition againstValue(Comparison comparison, String thresholdPct, String target) {
        return new AlertCondition(comparison, new BigDecimal(thresholdPct), Baseline.TARGET, Optional.empty(), Optional.of(new BigDecimal(target)));
    }

    public static AlertCondition againstPreviousPeriod(Comparison comparison, String thresholdPct) {
        return new AlertCondition(comparison, new BigDecimal(thresholdPct), Baseline.PREVIOUS_PERIOD, Optional.empty(), Optional.empty());
    }

    /**
     * Whether {@code observed} breaches the threshold. Give it the unrounded number: rounded to the
     * places reports show, a value past the threshold by less than the last place lands on it.
     */
    public boolean breachedBy(BigDecimal observed) {
        return past(observed, threshold);
    }

    /**
     * Whether {@code value}'s percentage deviation from {@code baseline} breaches the threshold,
     * decided without dividing: (value − baseline) × 100 is compared with threshold × |baseline|, which
     * orders the same as the deviation against the threshold since |baseline| is positive. A zero
     * baseline has no deviation and never breaches.
     */
    public boolean breachedBy(BigDecimal value, BigDecimal baseline) {
        if (baseline.signum() == 0) {
            return false;
        }
        return past(value.subtract(baseline).multiply(HUNDRED), threshold.multiply(baseline.abs()));
    }

    private boolean past(BigDecimal observed, BigDecimal limit) {
        return switch (comparison) {
            case ABOVE -> observed.compareTo(limit) > 0;
            case BELOW -> observed.compareTo(limit) < 0;
            case OUTSIDE -> observed.abs().compareTo(limit) > 0;
        };
    }

    public enum Comparison {
        /** Breached when the observed number is greater than the threshold. */
        ABOVE,
        /** Breached when the observed number is less than the threshold. */
        BELOW,
        /** Breached when the observed number is further from zero than the threshold, either way. */
        OUTSIDE
    }

    public enum Baseline {
        NONE,
        TARGET,
        PREVIOUS_PERIOD
    }
}
