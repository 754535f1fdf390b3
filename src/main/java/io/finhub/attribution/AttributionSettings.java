package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Parameters of a set of attribution results.
 *
 * @param lookbackDays touches older than this many days before a conversion are not on its path
 * @param halfLifeDays the time-decay model's half-life, in days (three decimals)
 */
public record AttributionSettings(int lookbackDays, BigDecimal halfLifeDays) {
    public static final int MAX_LOOKBACK_DAYS = 3650;
    public static final AttributionSettings DEFAULTS = new AttributionSettings(90, new BigDecimal("7"));

    public AttributionSettings {
        requireNonNull(halfLifeDays, "halfLifeDays is null");
        if (lookbackDays < 1 || lookbackDays > MAX_LOOKBACK_DAYS) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "lookbackDays must be between 1 and %d, was %d".formatted(MAX_LOOKBACK_DAYS, lookbackDays));
        }
        if (halfLifeDays.compareTo(new BigDecimal("0.001")) < 0 || halfLifeDays.compareTo(BigDecimal.valueOf(MAX_LOOKBACK_DAYS)) > 0) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "halfLifeDays must be between 0.001 and %d, was %s".formatted(MAX_LOOKBACK_DAYS, halfLifeDays));
        }
        halfLifeDays = halfLifeDays.setScale(3, RoundingMode.HALF_EVEN);
    }

    public AttributionSettings withLookbackDays(int days) {
        return new AttributionSettings(days, halfLifeDays);
    }

    public AttributionSettings withHalfLifeDays(BigDecimal days) {
        return new AttributionSettings(lookbackDays, days);
    }

    /** The id of the results built with these settings; the configured settings use {@code default}. */
    String buildId(AttributionSettings configured) {
        return equals(configured) ? AttributionBuilds.DEFAULT_BUILD : "L%d-H%s".formatted(lookbackDays, halfLifeDays.toPlainString());
    }
}
