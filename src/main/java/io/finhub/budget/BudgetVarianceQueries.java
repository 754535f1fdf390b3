package io.finhub.budget;

import static java.util.Objects.requireNonNull;

import io.finhub.budget.BudgetVarianceRequest.BudgetVersion;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsRequest.Order;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.ReportDimension;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.TimeGrain;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Budget against actual through the catalog, so a variance here is the same number as the
 * {@code budgetVariance} measure in {@code metrics}, the BI feed and alert rules. Adds what only a
 * report with periods can: the period end and the run-rate projection.
 */
public final class BudgetVarianceQueries {
    private final MetricsService metrics;
    private final FiscalCalendar calendar;

    public BudgetVarianceQueries(MetricsService metrics, FiscalCalendar calendar) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.calendar = requireNonNull(calendar, "calendar is null");
    }

    public record Page(List<BudgetVarianceRow> rows, long totalCount, long dataVersion, String currency) {}

    public Page budgetVariance(BudgetVarianceRequest request) {
        ReportDimension.Breakdown breakdown = ReportDimension.split(request.by(), "budget report");
        List<String> dimensions = breakdown.dimensions();
        Optional<TimeGrain> grain = breakdown.grain();
        boolean original = request.version() == BudgetVersion.ORIGINAL;
        String budget = original ? "budget" : "budgetReforecast";
        String budgetSigned = original ? "budgetProfitSigned" : "reforecastProfitSigned";
        String variance = original ? "budgetVariance" : "reforecastVariance";
        String variancePct = original ? "budgetVariancePct" : "reforecastVariancePct";
        List<String> measures = List.of(budget, "actual", budgetSigned, "actualProfitSigned", variance, variancePct);
        MetricsRequest metricsRequest = new MetricsRequest(measures, dimensions, request.filters(), grain, request.from(), request.to(),
                List.<Order>of(), request.limit(), request.offset());
        MetricsResult result = metrics.query(metricsRequest);
        List<BudgetVarianceRow> rows = new ArrayList<>();
        for (MetricsRow row : result.rows()) {
            rows.add(toRow(row, grain, request.asOf(), budget, budgetSigned, variance, variancePct));
        }
        return new Page(rows, result.totalCount(), result.dataVersion(), result.currency());
    }

    private BudgetVarianceRow toRow(MetricsRow row, Optional<TimeGrain> grain, LocalDate asOf, String budgetMeasure, String budgetSignedMeasure,
            String varianceMeasure, String variancePctMeasure) {
        BigDecimal budget = row.measures().get(budgetMeasure);
        BigDecimal actual = row.measures().get("actual");
        BigDecimal variance = row.measures().get(varianceMeasure);
        LocalDate periodEnd = grain.map(value -> periodEnd(value, row.period())).orElse(null);
        Optional<BigDecimal> runRate = Optional.ofNullable(periodEnd).flatMap(end -> runRateFactor(row.period(), end, asOf));
        BigDecimal projectedActual = runRate.flatMap(factor -> scale(actual, factor)).orElse(null);
        BigDecimal projectedVariance = runRate.flatMap(factor -> scale(row.measures().get("actualProfitSigned"), factor))
                .map(projected -> projected.subtract(Decimals.orZero(row.measures().get(budgetSignedMeasure))))
                .orElse(null);
        Map<String, String> keys = row.presentDimensions();
        Map<String, String> labels = row.presentLabels();
        return new BudgetVarianceRow(row.period(), periodEnd, row.periodLabel(), keys, labels, budget, actual, variance,
                row.measures().get(variancePctMeasure), variance == null ? null : variance.signum() >= 0,
                Decimals.percent(actual, budget).orElse(null), projectedActual, projectedVariance);
    }

    private LocalDate periodEnd(TimeGrain grain, LocalDate start) {
        return switch (grain) {
            case DAY -> start;
            case WEEK -> start.plusDays(6);
            case MONTH -> start.plusMonths(1).minusDays(1);
            case QUARTER -> start.plusMonths(3).minusDays(1);
            case YEAR -> start.plusYears(1).minusDays(1);
        };
    }

    /**
     * Days in the period ÷ days elapsed by {@code asOf}: 1 for a closed period, empty for one not yet
     * started (nothing to extrapolate from).
     */
    static Optional<BigDecimal> runRateFactor(LocalDate start, LocalDate end, LocalDate asOf) {
        long length = ChronoUnit.DAYS.between(start, end) + 1;
        long elapsed = Math.min(length, ChronoUnit.DAYS.between(start, asOf) + 1);
        if (elapsed <= 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(length).divide(BigDecimal.valueOf(elapsed), 10, RoundingMode.HALF_EVEN));
    }

    private static Optional<BigDecimal> scale(BigDecimal amount, BigDecimal factor) {
        return Optional.ofNullable(amount).map(value -> value.multiply(factor).setScale(Decimals.MONEY_SCALE, RoundingMode.HALF_EVEN));
    }
}
