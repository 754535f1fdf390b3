package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.catalog.MetricsService;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Forecast of each department's variance at the end of a fiscal period, from the budget metrics of
 * the catalog (ORIGINAL budget and GL actuals, each with the sign it has in profit: revenue +,
 * cost −; so variance = actual − budget is favourable when positive, as in {@code budgetVariance}).
 *
 * <p>Method: the projected actual is the equal-weight combination of two projections, both
 * shown beside it:
 * <ul>
 *   <li>plan ratio: the months closed by the as-of date (GL posts at month end) at their actuals,
 *       each remaining month at its budget times the department's own ratio of actual to budget
 *       over the last twelve closed months, per account type (revenue and cost lines drift apart,
 *       and a department mixing both would otherwise net them out); without a budgeted month in
 *       that window the ratio is 1, the plan;</li>
 *   <li>run rate: the projection of {@code budgetVariance}, actual so far × period days ÷ elapsed
 *       days (only once a month is closed).</li>
 * </ul>
 * Combining forecasts that err differently cancels part of their errors (Bates and Granger, "The
 * combination of forecasts", 1969); on the demo company's backtest the combination beats both.
 */
public final class BudgetVarianceForecaster {
    static final int TRAILING_MONTHS = 12;
    private static final int RATIO_SCALE = 10;

    private final MetricsService metrics;
    private final Store store;
    private final Clock clock;

    public BudgetVarianceForecaster(MetricsService metrics, Store store, Clock clock) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One department's forecast for the period, in the reporting currency, amounts signed as in profit. */
    public record DepartmentForecast(String departmentId, String departmentName, BigDecimal budget, BigDecimal actualToDate, int closedMonths,
            int periodMonths, BigDecimal projectedActual, BigDecimal projectedVariance, BigDecimal projectedVariancePct, boolean favorable,
            BigDecimal planRatioProjectedActual, BigDecimal runRateProjectedActual) {}

    public record Forecast(LocalDate periodStart, LocalDate periodEnd, String periodLabel, LocalDate asOf, String currency, long dataVersion,
            List<DepartmentForecast> departments) {
        public Forecast {
            departments = List.copyOf(departments);
        }
    }

    /** Monthly signed budget and actual per department and account type. */
    record Ledger(Map<String, String> departmentNames, Map<String, Map<String, TreeMap<LocalDate, BigDecimal[]>>> lines) {
        BigDecimal[] month(String department, String accountType, LocalDate month) {
            return lines.getOrDefault(department, Map.of()).getOrDefault(accountType, new TreeMap<>()).getOrDefault(month, zeros());
        }
    }

    /** The forecast of fiscal year {@code fiscalYear} (or one of its quarters) as of {@code asOf} (default: the last GL posting, at most today). */
    public Forecast forecast(int fiscalYear, Optional<Integer> fiscalQuarter, Optional<LocalDate> asOf) {
        FiscalCalendar calendar = store.calendar();
        if (fiscalYear < 1900 || fiscalYear > 2200) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "fiscalYear " + fiscalYear + " is out of range");
        }
        LocalDate start = calendar.fiscalYearStart(fiscalYear);
        int months = 12;
        String label = "FY" + fiscalYear;
        if (fiscalQuarter.isPresent()) {
            int quarter = fiscalQuarter.get();
            if (quarter < 1 || quarter > 4) {
                throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "fiscalQuarter must be 1..4, was " + quarter);
            }
            start = start.plusMonths(3L * (quarter - 1));
            months = 3;
            label = calendar.label(TimeGrain.QUARTER, start);
        }
        LocalDate end = start.plusMonths(months).minusDays(1);
        LocalDate day = asOf.orElseGet(this::lastPosting);
        Ledger ledger = ledger(start.minusMonths(TRAILING_MONTHS), end);
        return new Forecast(start, end, label, day, store.config().reportingCurrency(), store.dataVersion(), forecast(ledger, start, months, day));
    }

    private LocalDate lastPosting() {
        LocalDate today = LocalDate.now(clock);
        LocalDate latest = store.jdbi().withHandle(handle -> handle.createQuery("SELECT max(posting_date) FROM fact_gl_actual")
                .mapTo(LocalDate.class)
                .findOne()
                .orElse(null));
        return latest == null || latest.isAfter(today) ? today : latest;
    }

    /** Budget and actuals by department, account type and month for the months starting in [from, to]. */
    Ledger ledger(LocalDate from, LocalDate to) {
        MetricsRequest request = new MetricsRequest(List.of("budgetProfitSigned", "actualProfitSigned"), List.of("department", "accountType"), List.of(),
                Optional.of(TimeGrain.MONTH), Optional.of(from), Optional.of(to), List.of(), MetricsRequest.MAX_LIMIT, 0);
        Map<String, String> names = new TreeMap<>();
        Map<String, Map<String, TreeMap<LocalDate, BigDecimal[]>>> lines = new TreeMap<>();
        for (MetricsRow row : metrics.query(request).rows()) {
            String department = row.dimensions().get("department");
            String accountType = row.dimensions().get("accountType");
            if (department == null || accountType == null) {
                continue;
            }
            names.putIfAbsent(department, row.labels().get("department"));
            BigDecimal[] values = lines.computeIfAbsent(department, key -> new TreeMap<>()).computeIfAbsent(accountType, key -> new TreeMap<>())
                    .computeIfAbsent(row.period(), key -> zeros());
            values[0] = values[0].add(Decimals.orZero(row.measures().get("budgetProfitSigned")));
            values[1] = values[1].add(Decimals.orZero(row.measures().get("actualProfitSigned")));
        }
        return new Ledger(names, lines);
    }

    /** The forecast of each department for the {@code months} starting at {@code start}, as of {@code asOf}. */
    List<DepartmentForecast> forecast(Ledger ledger, LocalDate start, int months, LocalDate asOf) {
        LocalDate end = start.plusMonths(months).minusDays(1);
        int closed = (int) java.util.stream.IntStream.range(0, months).filter(m -> isClosed(start.plusMonths(m), asOf)).count();
        List<DepartmentForecast> forecasts = new ArrayList<>();
        for (Map.Entry<String, Map<String, TreeMap<LocalDate, BigDecimal[]>>> department : ledger.lines().entrySet()) {
            BigDecimal budget = BigDecimal.ZERO;
            BigDecimal actualToDate = BigDecimal.ZERO;
            BigDecimal planned = BigDecimal.ZERO;
            for (Map.Entry<String, TreeMap<LocalDate, BigDecimal[]>> accountType : department.getValue().entrySet()) {
                BigDecimal ratio = ratio(accountType.getValue(), asOf);
                for (int m = 0; m < months; m++) {
                    LocalDate month = start.plusMonths(m);
                    BigDecimal[] values = accountType.getValue().getOrDefault(month, zeros());
                    budget = budget.add(values[0]);
                    if (isClosed(month, asOf)) {
                        actualToDate = actualToDate.add(values[1]);
                        planned = planned.add(values[1]);
                    }
                    else {
                        planned = planned.add(values[0].multiply(ratio).setScale(2, RoundingMode.HALF_EVEN));
                    }
                }
            }
            if (budget.signum() == 0 && actualToDate.signum() == 0) {
                continue;
            }
            BigDecimal projected = planned;
            Optional<BigDecimal> runRate = runRate(actualToDate, start, end, asOf, closed);
            BigDecimal combined = runRate.map(rate -> projected.add(rate).divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_EVEN)).orElse(projected);
            BigDecimal variance = combined.subtract(budget);
            forecasts.add(new DepartmentForecast(department.getKey(), ledger.departmentNames().get(department.getKey()), budget, actualToDate, closed, months,
                    combined, variance, Decimals.percent(variance, budget.abs()).orElse(null), variance.signum() >= 0, projected, runRate.orElse(null)));
        }
        return forecasts;
    }

    /** Actual ÷ budget over the twelve closed months before {@code asOf}; 1 without a budget there. */
    static BigDecimal ratio(TreeMap<LocalDate, BigDecimal[]> months, LocalDate asOf) {
        BigDecimal budget = BigDecimal.ZERO;
        BigDecimal actual = BigDecimal.ZERO;
        int counted = 0;
        for (Map.Entry<LocalDate, BigDecimal[]> month : months.descendingMap().entrySet()) {
            if (!isClosed(month.getKey(), asOf)) {
                continue;
            }
            if (counted++ == TRAILING_MONTHS) {
                break;
            }
            budget = budget.add(month.getValue()[0]);
            actual = actual.add(month.getValue()[1]);
        }
        return Decimals.ratio(actual, budget, RATIO_SCALE).filter(ratio -> ratio.signum() > 0).orElse(BigDecimal.ONE);
    }

    /** A month is closed once its last day has passed: GL actuals post at month end. */
    static boolean isClosed(LocalDate monthStart, LocalDate asOf) {
        return !monthStart.plusMonths(1).minusDays(1).isAfter(asOf);
    }

    /** The run-rate projection of {@code budgetVariance}: actual of the closed months × period days ÷ their days. */
    private static Optional<BigDecimal> runRate(BigDecimal actualToDate, LocalDate start, LocalDate end, LocalDate asOf, int closedMonths) {
        if (closedMonths == 0) {
            return Optional.empty();
        }
        LocalDate closedThrough = start.plusMonths(closedMonths).minusDays(1);
        long length = ChronoUnit.DAYS.between(start, end) + 1;
        long elapsed = ChronoUnit.DAYS.between(start, closedThrough.isAfter(asOf) ? asOf : closedThrough) + 1;
        return Optional.of(actualToDate.multiply(BigDecimal.valueOf(length)).divide(BigDecimal.valueOf(elapsed), 2, RoundingMode.HALF_EVEN));
    }

    private static BigDecimal[] zeros() {
        return new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO};
    }
}
