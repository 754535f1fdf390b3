package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.forecast.BudgetVarianceForecaster.DepartmentForecast;
import io.finhub.forecast.BudgetVarianceForecaster.Ledger;
import io.finhub.forecast.ForecastBacktest.Accuracy;
import io.finhub.forecast.ForecastBacktest.BacktestForecast;
import io.finhub.forecast.ForecastBacktest.BudgetAccuracy;
import io.finhub.forecast.ForecastBacktest.BudgetBacktest;
import io.finhub.forecast.ForecastBacktest.BudgetBacktestRow;
import io.finhub.forecast.ForecastBacktest.CalibrationRow;
import io.finhub.forecast.ForecastBacktest.ProbabilityAccuracy;
import io.finhub.forecast.ForecastBacktest.RenewalBacktest;
import io.finhub.store.FiscalCalendar;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the backtest (once per facts version; the result is kept in {@code forecast_backtest}).
 *
 * <p>Renewals: for every past fiscal quarter whose renewals are all decided, a model is fitted on
 * the renewals decided before the quarter began (signals as of the start of each one's own
 * quarter), and the quarter's renewals are forecast from their signals at its start, exactly as the
 * live forecast does; renewals already decided before the quarter began count at their outcome.
 * Quarters without enough history to fit a model are skipped.
 *
 * <p>Budget: every fiscal quarter with budget and three months of actuals is forecast per
 * department one month in (its first month closed), and compared with its actual variance.
 */
final class ForecastBacktests {
    static final double WITHIN = 0.05;
    static final int CALIBRATION_BINS = 10;
    static final String METHOD = "Expanding window: for each fiscal quarter Q, fit the renewal model on renewals decided before Q "
            + "(signals at the start of each renewal's own quarter) and forecast Q's renewals from their signals on Q's first day; renewals decided "
            + "before Q began count at their outcome. Renewal ARR in the reporting currency at the quarter-start rate. Budget: each quarter "
            + "forecast per department once its first month is closed: the mean of a plan-ratio projection (closed months at actual, the rest "
            + "at budget x the trailing 12-month actual/budget ratio per account type) and the run-rate projection, each also scored alone.";
    private static final Logger LOG = LoggerFactory.getLogger(ForecastBacktests.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Store store;
    private final Clock clock;
    private final ForecastModels models;
    private final Object running = new Object();

    ForecastBacktests(Store store, Clock clock, ForecastModels models) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.models = requireNonNull(models, "models is null");
    }

    ForecastBacktest latest(BudgetVarianceForecaster budget) {
        requireNonNull(budget, "budget is null");
        synchronized (running) {
            long factsVersion = models.refresh();
            String currency = store.config().reportingCurrency();
            Optional<String> stored = store.jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT result FROM forecast_backtest WHERE facts_version = :version AND reporting_currency = :currency""")
                    .bind("version", factsVersion)
                    .bind("currency", currency)
                    .mapTo(String.class)
                    .findOne());
            if (stored.isPresent()) {
                return read(stored.get());
            }
            long started = System.nanoTime();
            ForecastBacktest backtest = run(budget, factsVersion, currency);
            store.jdbi().useTransaction(handle -> handle.createUpdate("INSERT OR REPLACE INTO forecast_backtest VALUES (:version, :currency, :at, :result)")
                    .bind("version", factsVersion)
                    .bind("currency", currency)
                    .bind("at", LocalDateTime.ofInstant(backtest.computedAt(), ZoneOffset.UTC))
                    .bind("result", write(backtest))
                    .execute());
            LOG.info("forecast backtest on facts version {} ran in {} ms", factsVersion, (System.nanoTime() - started) / 1_000_000);
            return backtest;
        }
    }

    private ForecastBacktest run(BudgetVarianceForecaster budget, long factsVersion, String currency) {
        LocalDate dataAsOf = store.jdbi().withHandle(handle -> handle.createQuery("SELECT trained_through FROM forecast_model WHERE reporting_currency = :c")
                .bind("c", currency)
                .mapTo(LocalDate.class)
                .one());
        List<RenewalCase> decided = store.jdbi().withHandle(handle -> RenewalCases.read(handle, ForecastModels.casesTable(store.config().reportingCurrency()), "decided"));
        RenewalBacktest renewals = renewals(decided, dataAsOf);
        BudgetBacktest budgetBacktest = budget(budget, dataAsOf);
        return new ForecastBacktest(Instant.now(clock), factsVersion, currency, dataAsOf, METHOD, renewals, budgetBacktest);
    }

    RenewalBacktest renewals(List<RenewalCase> decided, LocalDate dataAsOf) {
        FiscalCalendar calendar = store.calendar();
        Optional<LocalDate> first = decided.stream().map(RenewalCase::endDate).min(LocalDate::compareTo);
        List<BacktestForecast> forecasts = new ArrayList<>();
        List<double[]> scored = new ArrayList<>();
        if (first.isEmpty()) {
            return summarise(forecasts, scored);
        }
        for (LocalDate quarter = calendar.periodStart(TimeGrain.QUARTER, first.get()); !quarter.plusMonths(3).minusDays(1).isAfter(dataAsOf);
                quarter = quarter.plusMonths(3)) {
            LocalDate start = quarter;
            LocalDate end = quarter.plusMonths(3).minusDays(1);
            List<RenewalCase> training = decided.stream().filter(renewal -> renewal.closedOn().isBefore(start)).toList();
            Optional<RenewalModel> model = RenewalModel.fit(training, start);
            List<RenewalCase> quarterCases = decided.stream().filter(renewal -> !renewal.endDate().isBefore(start) && !renewal.endDate().isAfter(end)).toList();
            if (model.isEmpty() || quarterCases.isEmpty()) {
                continue;
            }
            Map<String, List<double[]>> bySegment = new TreeMap<>();
            for (RenewalCase renewal : quarterCases) {
                boolean known = renewal.closedOn().isBefore(start);
                int outcome = renewal.renewed() ? 1 : 0;
                double probability = known ? outcome : round4(model.get().probability(renewal, 0));
                if (!known) {
                    scored.add(new double[] {probability, outcome, model.get().cases() == 0 ? 0 : (double) model.get().renewed() / model.get().cases()});
                }
                double[] line = {renewal.amount().doubleValue(), probability, outcome, known ? 1 : 0,
                        ForecastService.expected(renewal.amount(), BigDecimal.valueOf(probability).setScale(4, RoundingMode.HALF_EVEN)).doubleValue()};
                bySegment.computeIfAbsent(renewal.segment(), key -> new ArrayList<>()).add(line);
            }
            String label = calendar.label(TimeGrain.QUARTER, start);
            List<double[]> all = new ArrayList<>();
            bySegment.values().forEach(all::addAll);
            forecasts.add(forecast(label, start, null, training.size(), all));
            bySegment.forEach((segment, lines) -> forecasts.add(forecast(label, start, segment, training.size(), lines)));
        }
        return summarise(forecasts, scored);
    }

    private static double round4(double probability) {
        return BigDecimal.valueOf(probability).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static BacktestForecast forecast(String label, LocalDate start, String segment, int trainingCases, List<double[]> lines) {
        BigDecimal forecast = BigDecimal.ZERO;
        BigDecimal actual = BigDecimal.ZERO;
        int known = 0;
        for (double[] line : lines) {
            forecast = forecast.add(BigDecimal.valueOf(line[4]));
            if (line[2] == 1) {
                actual = actual.add(BigDecimal.valueOf(line[0]));
            }
            known += (int) line[3];
        }
        forecast = forecast.setScale(2, RoundingMode.HALF_EVEN);
        actual = actual.setScale(2, RoundingMode.HALF_EVEN);
        Double error = actual.signum() == 0 ? null : forecast.subtract(actual).doubleValue() / actual.doubleValue() * 100;
        boolean within = error != null && Math.abs(error) <= WITHIN * 100 + 1e-9;
        return new BacktestForecast(label, start, segment, trainingCases, lines.size(), known, forecast, actual, error, within);
    }

    private static RenewalBacktest summarise(List<BacktestForecast> forecasts, List<double[]> scored) {
        double[] probability = scored.stream().mapToDouble(line -> line[0]).toArray();
        int[] outcome = scored.stream().mapToInt(line -> (int) line[1]).toArray();
        double[] climatology = scored.stream().mapToDouble(line -> line[2]).toArray();
        List<CalibrationRow> calibration = ForecastMetrics.calibration(probability, outcome, CALIBRATION_BINS).stream()
                .map(bin -> new CalibrationRow(bin.lower(), bin.upper(), bin.count(), bin.meanPredicted(), bin.observedRate()))
                .toList();
        ProbabilityAccuracy accuracy = new ProbabilityAccuracy(probability.length, boxed(ForecastMetrics.brier(probability, outcome)),
                boxed(ForecastMetrics.brier(climatology, outcome)), percent(ForecastMetrics.accuracy(probability, outcome, 0.5)),
                probability.length == 0 ? null : java.util.Arrays.stream(outcome).average().orElse(0) * 100, boxed(ForecastMetrics.rocAuc(probability, outcome)));
        return new RenewalBacktest(forecasts, accuracy(forecasts.stream().filter(forecast -> forecast.segment() == null).toList()),
                accuracy(forecasts.stream().filter(forecast -> forecast.segment() != null).toList()), accuracy, calibration);
    }

    private static Accuracy accuracy(List<BacktestForecast> forecasts) {
        double[] actual = forecasts.stream().mapToDouble(forecast -> forecast.actual().doubleValue()).toArray();
        double[] forecast = forecasts.stream().mapToDouble(line -> line.forecast().doubleValue()).toArray();
        return new Accuracy(forecasts.size(), percent(ForecastMetrics.mape(actual, forecast)), percent(ForecastMetrics.wape(actual, forecast)),
                percent(ForecastMetrics.shareWithin(actual, forecast, WITHIN)));
    }

    BudgetBacktest budget(BudgetVarianceForecaster forecaster, LocalDate dataAsOf) {
        FiscalCalendar calendar = store.calendar();
        Optional<LocalDate[]> range = store.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT min(budget_month) AS first_month, max(budget_month) AS last_month FROM fact_budget WHERE budget_version = 'ORIGINAL'")
                .map((row, context) -> new LocalDate[] {row.getObject("first_month", LocalDate.class), row.getObject("last_month", LocalDate.class)})
                .findOne()
                .filter(months -> months[0] != null));
        List<BudgetBacktestRow> rows = new ArrayList<>();
        if (range.isEmpty()) {
            return budgetSummary(rows);
        }
        LocalDate lastPosting = store.jdbi().withHandle(handle -> handle.createQuery("SELECT max(posting_date) FROM fact_gl_actual")
                .mapTo(LocalDate.class)
                .findOne()
                .orElse(range.get()[0]));
        Ledger ledger = forecaster.ledger(range.get()[0].minusMonths(BudgetVarianceForecaster.TRAILING_MONTHS), range.get()[1]);
        for (LocalDate quarter = calendar.periodStart(TimeGrain.QUARTER, range.get()[0]); !quarter.plusMonths(3).minusDays(1).isAfter(lastPosting)
                && !quarter.plusMonths(3).minusDays(1).isAfter(range.get()[1].plusMonths(1).minusDays(1)); quarter = quarter.plusMonths(3)) {
            LocalDate oneMonthIn = quarter.plusMonths(1).minusDays(1);
            LocalDate quarterEnd = quarter.plusMonths(3).minusDays(1);
            Map<String, DepartmentForecast> actuals = new TreeMap<>();
            forecaster.forecast(ledger, quarter, 3, quarterEnd).forEach(department -> actuals.put(department.departmentId(), department));
            for (DepartmentForecast forecast : forecaster.forecast(ledger, quarter, 3, oneMonthIn)) {
                DepartmentForecast actual = actuals.get(forecast.departmentId());
                if (actual == null || actual.closedMonths() < 3 || forecast.runRateProjectedActual() == null) {
                    continue;
                }
                rows.add(new BudgetBacktestRow(calendar.label(TimeGrain.QUARTER, quarter), forecast.departmentId(), forecast.budget(),
                        actual.actualToDate(), actual.actualToDate().subtract(forecast.budget()), forecast.projectedActual(),
                        forecast.planRatioProjectedActual(), forecast.runRateProjectedActual()));
            }
        }
        return budgetSummary(rows);
    }

    private static BudgetBacktest budgetSummary(List<BudgetBacktestRow> rows) {
        return new BudgetBacktest(rows.size(), budgetAccuracy(rows, BudgetBacktestRow::projectedActual),
                budgetAccuracy(rows, BudgetBacktestRow::planRatioProjectedActual), budgetAccuracy(rows, BudgetBacktestRow::runRateProjectedActual), rows);
    }

    private static BudgetAccuracy budgetAccuracy(List<BudgetBacktestRow> rows, java.util.function.Function<BudgetBacktestRow, BigDecimal> projection) {
        double[] actual = rows.stream().mapToDouble(row -> row.actual().doubleValue()).toArray();
        double[] projected = rows.stream().mapToDouble(row -> projection.apply(row).doubleValue()).toArray();
        BigDecimal error = BigDecimal.ZERO;
        int direction = 0;
        for (BudgetBacktestRow row : rows) {
            BigDecimal projectedVariance = projection.apply(row).subtract(row.budget());
            error = error.add(projectedVariance.subtract(row.actualVariance()).abs());
            direction += sameSign(projectedVariance, row.actualVariance()) ? 1 : 0;
        }
        int n = rows.size();
        return new BudgetAccuracy(accuracy(actual, projected), n == 0 ? null : error.divide(BigDecimal.valueOf(n), 2, RoundingMode.HALF_EVEN),
                n == 0 ? null : 100.0 * direction / n);
    }

    private static Accuracy accuracy(double[] actual, double[] forecast) {
        return new Accuracy(actual.length, percent(ForecastMetrics.mape(actual, forecast)), percent(ForecastMetrics.wape(actual, forecast)),
                percent(ForecastMetrics.shareWithin(actual, forecast, WITHIN)));
    }

    /** Favourable (≥ 0) or unfavourable (< 0) alike. */
    private static boolean sameSign(BigDecimal forecast, BigDecimal actual) {
        return (forecast.signum() >= 0) == (actual.signum() >= 0);
    }

    private static Double percent(OptionalDouble fraction) {
        return fraction.isPresent() ? fraction.getAsDouble() * 100 : null;
    }

    private static Double boxed(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static String write(ForecastBacktest backtest) {
        try {
            return JSON.writeValueAsString(backtest);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot store the backtest", e);
        }
    }

    private static ForecastBacktest read(String json) {
        try {
            return JSON.readValue(json, ForecastBacktest.class);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot read the stored backtest", e);
        }
    }
}
