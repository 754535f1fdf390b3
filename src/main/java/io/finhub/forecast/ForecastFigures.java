package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * The forecast of a group of renewals and expansions, model and adjusted side by side. Money in the
 * reporting currency; each expected value is the sum of its lines' amount × probability, each line
 * rounded to the cent.
 *
 * @param arrUpForRenewal the renewal value of every renewal in the group
 * @param expansionPipeline the value of every expansion opportunity in the group
 * @param adjustedLines lines whose figures a forecast adjustment overrides
 */
public record ForecastFigures(long renewals, long openRenewals, long expansions, long adjustedLines, BigDecimal arrUpForRenewal,
        BigDecimal expansionPipeline, BigDecimal modelRenewalArr, BigDecimal adjustedRenewalArr, BigDecimal modelExpansionArr,
        BigDecimal adjustedExpansionArr, BigDecimal modelTotal, BigDecimal adjustedTotal, ForecastRange modelRenewalRange,
        ForecastRange adjustedRenewalRange, ForecastRange modelTotalRange, ForecastRange adjustedTotalRange) {
    public ForecastFigures {
        requireNonNull(arrUpForRenewal, "arrUpForRenewal is null");
        requireNonNull(modelRenewalArr, "modelRenewalArr is null");
        requireNonNull(adjustedRenewalArr, "adjustedRenewalArr is null");
        requireNonNull(modelTotalRange, "modelTotalRange is null");
    }
}
