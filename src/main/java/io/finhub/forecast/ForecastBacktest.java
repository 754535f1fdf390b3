package io.finhub.forecast;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A backtest of the forecasts on the company's own history: for each past fiscal quarter, fit on
 * what was known at its start and forecast it, then compare with what happened. Percentages are
 * 0..100; money in the reporting currency at each quarter-start rate (constant currency, so FX
 * moves are not counted as forecast error).
 *
 * @param factsVersion the facts the backtest ran on
 */
public record ForecastBacktest(Instant computedAt, long factsVersion, String currency, LocalDate dataAsOf, String method, RenewalBacktest renewals,
        BudgetBacktest budget) {

    /**
     * @param portfolioQuarters accuracy of the whole portfolio's renewal ARR, one forecast per quarter
     * @param segmentQuarters accuracy per segment and quarter
     */
    public record RenewalBacktest(List<BacktestForecast> forecasts, Accuracy portfolioQuarters, Accuracy segmentQuarters,
            ProbabilityAccuracy probabilities, List<CalibrationRow> calibration) {}

    /**
     * One forecast of a quarter's renewal ARR (one segment, or all when {@code segment} is null).
     *
     * @param renewals contracts ending in the quarter; {@code knownAtStart} of them were decided before it began
     * @param errorPct (forecast − actual) ÷ actual × 100
     */
    public record BacktestForecast(String quarterLabel, LocalDate quarterStart, String segment, int trainingCases, int renewals, int knownAtStart,
            BigDecimal forecast, BigDecimal actual, Double errorPct, boolean withinFivePercent) {}

    /** MAPE, WAPE and the share of forecasts within 5 % of actual, over {@code forecasts} forecasts. */
    public record Accuracy(int forecasts, Double mapePct, Double wapePct, Double withinFivePct) {}

    /**
     * How good the renewal probabilities were, over the renewals the model scored.
     *
     * @param climatologyBrier the Brier score of always forecasting the training renewal rate: the bar to beat
     * @param accuracyPct renewals predicted right, reading a probability of at least 0.5 as "renews"
     * @param baseRatePct share that renewed: the accuracy of always predicting "renews"
     */
    public record ProbabilityAccuracy(int predictions, Double brierScore, Double climatologyBrier, Double accuracyPct, Double baseRatePct,
            Double rocAuc) {}

    public record CalibrationRow(double lower, double upper, long count, double meanPredicted, double observedRate) {}

    /**
     * The budget-variance forecast made one month into each quarter, against the quarter's actual
     * variance, per department: the forecast itself and each of the two projections it combines.
     */
    public record BudgetBacktest(int forecasts, BudgetAccuracy forecast, BudgetAccuracy planRatio, BudgetAccuracy runRate, List<BudgetBacktestRow> rows) {}

    /**
     * @param projectedActual accuracy of the projected period actual against the actual
     * @param meanAbsoluteVarianceError mean |projected variance − actual variance|, reporting currency
     * @param directionAccuracyPct forecasts that got favourable versus unfavourable right
     */
    public record BudgetAccuracy(Accuracy projectedActual, BigDecimal meanAbsoluteVarianceError, Double directionAccuracyPct) {}

    /** One department and quarter; amounts signed as in profit (revenue +, cost −). */
    public record BudgetBacktestRow(String quarterLabel, String departmentId, BigDecimal budget, BigDecimal actual, BigDecimal actualVariance,
            BigDecimal projectedActual, BigDecimal planRatioProjectedActual, BigDecimal runRateProjectedActual) {}
}
