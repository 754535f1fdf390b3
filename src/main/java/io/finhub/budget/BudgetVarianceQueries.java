package io.finhub.budget;

import static java.util.Objects.requireNonNull;

import io.finhub.budget.BudgetVarianceRequest.BudgetVersion;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsRequest.Order;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.ReportDimension;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.TimeGrain;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
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

    private static final String COVERED_ACTUAL = "reforecastCoveredActual";

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
        // The actuals a variance and a utilisation compare: all of them with the ORIGINAL budget, those of the months the
        // reforecast covers with it. The actual column shows all of them either way.
        String actualSigned = actualSigned(original);
        List<String> measures = original ? List.of(budget, "actual", budgetSigned, actualSigned, variance, variancePct)
                : List.of(budget, "actual", COVERED_ACTUAL, budgetSigned, actualSigned, variance, variancePct);
        MetricsRequest metricsRequest = new MetricsRequest(measures, dimensions, request.filters(), grain, request.from(), request.to(),
                List.<Order>of(), request.limit(), request.offset());
        MetricsResult result = metrics.query(metricsRequest);
        Optional<RunRate> runRate = grain.flatMap(value -> runRate(value, request.asOf(), request.from(), request.to()));
        Map<Map<String, String>, MetricsRow> toDate = runRate.map(rate -> actualsToDate(request, dimensions, rate, result)).orElse(Map.of());
        List<BudgetVarianceRow> rows = new ArrayList<>();
        for (MetricsRow row : result.rows()) {
            rows.add(toRow(row, grain, request, runRate, toDate, budget, budgetSigned, variance, variancePct, original));
        }
        return new Page(rows, result.totalCount(), result.dataVersion(), result.currency());
    }

    /**
     * How the period in progress on {@code asOf} is projected: the actuals posted from {@code start} to
     * {@code through}, extrapolated over the days from {@code start} to {@code end}. {@code start} and
     * {@code end} are the period's as the report's range clips it ({@link #runRate(TimeGrain, LocalDate,
     * Optional, Optional)}), so the projection stands against the budget of that range. {@code through} is
     * the end of the last month closed by {@code asOf} (a month's actuals are complete once it has closed:
     * GL posts at month end, as the budget variance forecast counts them) or, while no month from
     * {@code start} has closed, {@code asOf} itself.
     *
     * @param period the start of the period in progress, as the report's rows are dated
     */
    record RunRate(LocalDate period, LocalDate start, LocalDate end, LocalDate through) {
        /** Whether the run rate reads whole closed months (rather than the days to {@code asOf} while none has closed). */
        boolean readsClosedMonths() {
            return through.plusDays(1).getDayOfMonth() == 1;
        }

        /** {@code toDate} × length ÷ elapsed days, rounded once to the cent (a factor rounded first is off by cents on large amounts). */
        Optional<BigDecimal> project(BigDecimal toDate) {
            long length = ChronoUnit.DAYS.between(start, end) + 1;
            long elapsed = ChronoUnit.DAYS.between(start, through) + 1;
            return Optional.ofNullable(toDate)
                    .map(amount -> amount.multiply(BigDecimal.valueOf(length)).divide(BigDecimal.valueOf(elapsed), Decimals.MONEY_SCALE, RoundingMode.HALF_EVEN));
        }
    }

    /** The run rate of the {@code grain} period in progress on {@code asOf}; empty when {@code asOf} is its last day (it is closed). */
    Optional<RunRate> runRate(TimeGrain grain, LocalDate asOf) {
        return runRate(grain, asOf, Optional.empty(), Optional.empty());
    }

    /**
     * The run rate of the {@code grain} period in progress on {@code asOf}, within the range {@code from} to {@code to}:
     * from the later of the period's start and {@code from} to the earlier of the period's end and the last month end on
     * or before {@code to} (a range counts the budget of the months that end within it, as it counts GL actuals, which
     * post at month end). Empty when that part of the period has ended by {@code asOf} (it projects to its actual) or has
     * not begun.
     */
    Optional<RunRate> runRate(TimeGrain grain, LocalDate asOf, Optional<LocalDate> from, Optional<LocalDate> to) {
        LocalDate period = calendar.periodStart(grain, asOf);
        LocalDate start = from.filter(day -> day.isAfter(period)).orElse(period);
        LocalDate end = endWithin(periodEnd(grain, period), to);
        if (!asOf.isBefore(end) || asOf.isBefore(start)) {
            return Optional.empty();
        }
        LocalDate lastClosedMonthEnd = lastMonthEndOnOrBefore(asOf);
        return Optional.of(new RunRate(period, start, end, lastClosedMonthEnd.isBefore(start) ? asOf : lastClosedMonthEnd));
    }

    /** A period's end within a range ending {@code to}: the last month end on or before {@code to} when that is earlier. */
    private static LocalDate endWithin(LocalDate periodEnd, Optional<LocalDate> to) {
        return to.map(BudgetVarianceQueries::lastMonthEndOnOrBefore).filter(day -> day.isBefore(periodEnd)).orElse(periodEnd);
    }

    private static LocalDate lastMonthEndOnOrBefore(LocalDate day) {
        return day.plusDays(1).withDayOfMonth(1).minusDays(1);
    }

    /**
     * The actuals of the period in progress posted from the run rate's start through {@code rate.through()}, by the
     * report's dimension keys: only when the page has rows of that period (a report of past periods needs none).
     */
    private Map<Map<String, String>, MetricsRow> actualsToDate(BudgetVarianceRequest request, List<String> dimensions, RunRate rate, MetricsResult result) {
        if (result.rows().stream().noneMatch(row -> rate.period().equals(row.period()))) {
            return Map.of();
        }
        String actualSigned = actualSigned(request.version() == BudgetVersion.ORIGINAL);
        MetricsResult toDate = metrics.query(new MetricsRequest(List.of("actual", actualSigned), dimensions, request.filters(),
                Optional.empty(), Optional.of(rate.start()), Optional.of(rate.through()), List.<Order>of(), MetricsRequest.MAX_LIMIT, 0));
        if (toDate.totalCount() > toDate.rows().size()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "the period in progress has %d groups to project, more than %d; narrow the report with filters"
                    .formatted(toDate.totalCount(), MetricsRequest.MAX_LIMIT));
        }
        Map<Map<String, String>, MetricsRow> byKeys = new HashMap<>();
        toDate.rows().forEach(row -> byKeys.put(row.dimensions(), row));
        return byKeys;
    }

    private BudgetVarianceRow toRow(MetricsRow row, Optional<TimeGrain> grain, BudgetVarianceRequest request, Optional<RunRate> runRate,
            Map<Map<String, String>, MetricsRow> toDate, String budgetMeasure, String budgetSignedMeasure, String varianceMeasure, String variancePctMeasure,
            boolean original) {
        BigDecimal budget = row.measures().get(budgetMeasure);
        BigDecimal actual = row.measures().get("actual");
        BigDecimal variance = row.measures().get(varianceMeasure);
        LocalDate periodEnd = grain.map(value -> periodEnd(value, row.period())).orElse(null);
        BigDecimal projectedActual = null;
        BigDecimal projectedVariance = null;
        Optional<RunRate> inProgress = runRate.filter(rate -> rate.period().equals(row.period()));
        if (inProgress.isPresent()) {
            // Only what was posted by the day the run rate reads to: an as-of day in the past must not see later postings.
            MetricsRow posted = toDate.get(row.dimensions());
            RunRate rate = inProgress.get();
            // Closed months with nothing posted run at 0, as budgetVarianceForecast's run rate does; before a month has closed,
            // nothing posted is no rate yet (GL posts at month end). Against the REFORECAST, no covered actual may be a month it
            // does not cover: nothing to compare, so no 0 there.
            BigDecimal nothingPosted = rate.readsClosedMonths() ? BigDecimal.ZERO : null;
            BigDecimal signedToDate = posted == null ? (original ? nothingPosted : null) : posted.measures().get(actualSigned(original));
            projectedActual = rate.project(posted == null ? nothingPosted : posted.measures().get("actual")).orElse(null);
            projectedVariance = rate.project(signedToDate)
                    .map(projected -> projected.subtract(Decimals.orZero(row.measures().get(budgetSignedMeasure))))
                    .orElse(null);
        }
        else if (periodEnd != null && !endWithin(periodEnd, request.to()).isAfter(request.asOf())) {
            // A period closed, or ended within the report's range, projects to its actual.
            projectedActual = actual;
            projectedVariance = Optional.ofNullable(row.measures().get(actualSigned(original)))
                    .map(value -> value.subtract(Decimals.orZero(row.measures().get(budgetSignedMeasure))))
                    .orElse(null);
        }
        if (!original && row.measures().get(budgetSignedMeasure) == null) {
            // A missing ORIGINAL budget is a budget of 0 (the actual was not budgeted); a missing reforecast is nothing to compare with.
            projectedVariance = null;
        }
        Map<String, String> keys = row.presentDimensions();
        Map<String, String> labels = row.presentLabels();
        return new BudgetVarianceRow(row.period(), periodEnd, row.periodLabel(), keys, labels, budget, actual, variance,
                row.measures().get(variancePctMeasure), variance == null ? null : variance.signum() >= 0,
                Decimals.percent(original ? actual : row.measures().get(COVERED_ACTUAL), budget).orElse(null), projectedActual, projectedVariance);
    }

    private static String actualSigned(boolean original) {
        return original ? "actualProfitSigned" : "reforecastCoveredActualProfitSigned";
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
}
