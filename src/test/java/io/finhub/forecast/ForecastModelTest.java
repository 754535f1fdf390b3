package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.catalog.MetricsService;
import io.finhub.forecast.ForecastBacktest.BacktestForecast;
import io.finhub.revenue.RevenueModels;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The renewal model: the regression against a published example, then learning from the {@code forecast_history} fixture. */
class ForecastModelTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC);
    private static Store store;
    private static ForecastService forecasts;
    private static BudgetVarianceForecaster budget;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("forecast_history");
        forecasts = new ForecastService(store, CLOCK, new ForecastEvents());
        DerivedTables derived = new DerivedTables(store);
        budget = new BudgetVarianceForecaster(new MetricsService(store, FinhubServer.catalog(new RevenueModels(store, derived), derived)), store, CLOCK);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void logistic_regression_reproduces_the_wikipedia_example() {
        // Wikipedia, "Logistic regression", example: hours studied against passing an exam, 20 students.
        // Fitted: intercept -4.0777 (about -4.1), hours 1.5046 (about 1.5); 2 hours -> 0.26, 4 hours -> 0.87.
        double[] hours = {0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50, 2.75, 3.00, 3.25, 3.50, 4.00, 4.25, 4.50, 4.75, 5.00, 5.50};
        int[] passed = {0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1};
        double[][] x = Arrays.stream(hours).mapToObj(value -> new double[] {value}).toArray(double[][]::new);

        double[] coefficients = LogisticRegression.fit(x, passed, 0);

        assertThat(coefficients[0]).isCloseTo(-4.0777, within(1e-4));
        assertThat(coefficients[1]).isCloseTo(1.5046, within(1e-4));
        assertThat(LogisticRegression.sigmoid(coefficients[0] + 2 * coefficients[1])).isCloseTo(0.26, within(0.005));
        assertThat(LogisticRegression.sigmoid(coefficients[0] + 4 * coefficients[1])).isCloseTo(0.87, within(0.005));
        // Maximum likelihood with an intercept is calibrated in the large: mean probability = observed rate, 10 of 20.
        double mean = Arrays.stream(hours).map(value -> LogisticRegression.sigmoid(coefficients[0] + value * coefficients[1])).average().orElseThrow();
        assertThat(mean).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void the_model_learns_that_health_predicts_renewal() {
        RenewalModelSummary model = forecasts.model(Optional.empty()).orElseThrow();

        assertThat(model.trainedThrough()).isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(model.trainingCases()).isEqualTo(240);
        FactorWeight health = model.factors().stream().filter(factor -> factor.factor() == RenewalFactor.HEALTH_SCORE).findFirst().orElseThrow();
        assertThat(health.coefficient()).isPositive();
    }

    @Test
    void probabilities_scored_in_the_store_add_up_from_their_factor_contributions() {
        RenewalModelSummary model = forecasts.model(Optional.empty()).orElseThrow();
        List<RenewalLine> lines = List.of("h0001", "h0002", "h0003", "h0004", "h0005", "h0006").stream()
                .flatMap(customer -> forecasts.forecast(customer, ForecastRequest.defaults()).renewals().stream())
                .toList();

        assertThat(lines).hasSize(6).allSatisfy(line -> {
            assertThat(line.probabilitySource()).isEqualTo(ProbabilitySource.MODEL);
            double logit = model.intercept() + line.factors().stream().mapToDouble(FactorContribution::contribution).sum();
            BigDecimal javaProbability = BigDecimal.valueOf(LogisticRegression.sigmoid(logit)).setScale(4, RoundingMode.HALF_UP);
            assertThat(line.modelProbability()).isEqualByComparingTo(javaProbability);
        });
        // The healthiest of them (h0005, health 65) gets a higher probability than the sickest (h0002, health 24).
        RenewalLine healthier = lines.stream().max(Comparator.comparing(RenewalLine::healthScore)).orElseThrow();
        RenewalLine sicker = lines.stream().min(Comparator.comparing(RenewalLine::healthScore)).orElseThrow();
        assertThat(healthier.modelProbability()).isGreaterThan(sicker.modelProbability());
    }

    @Test
    void health_scenarios_move_the_forecast_the_way_health_moves_renewals() {
        List<ScenarioResult> scenarios = forecasts.portfolio(ForecastRequest.defaults()).scenarios();

        assertThat(scenarios.get(0).scenario().healthShift()).isEqualTo(10);
        assertThat(scenarios.get(0).modelTotalChange()).isPositive();
        assertThat(scenarios.get(1).modelTotalChange()).isNegative();
    }

    @Test
    void the_backtest_scores_each_quarter_with_a_model_fitted_before_it() {
        ForecastBacktest backtest = forecasts.backtest(budget);

        List<BacktestForecast> portfolio = backtest.renewals().forecasts().stream().filter(forecast -> forecast.segment() == null).toList();
        // Terms end from January to December 2024; the first quarter has no earlier renewal to learn from.
        assertThat(portfolio).extracting(BacktestForecast::quarterLabel).containsExactly("FY2024-Q2", "FY2024-Q3", "FY2024-Q4");
        assertThat(portfolio).extracting(BacktestForecast::trainingCases).containsExactly(60, 120, 180);
        double mape = portfolio.stream().mapToDouble(forecast -> Math.abs(forecast.errorPct())).average().orElseThrow();
        assertThat(backtest.renewals().portfolioQuarters().mapePct()).isCloseTo(mape, within(1e-9));
        double within = 100.0 * portfolio.stream().filter(BacktestForecast::withinFivePercent).count() / portfolio.size();
        assertThat(backtest.renewals().portfolioQuarters().withinFivePct()).isCloseTo(within, within(1e-9));
        assertThat(backtest.renewals().probabilities().predictions()).isEqualTo(180);
        assertThat(backtest.renewals().calibration().stream().mapToLong(ForecastBacktest.CalibrationRow::count).sum()).isEqualTo(180);
        assertThat(backtest.renewals().probabilities().brierScore()).isLessThan(backtest.renewals().probabilities().climatologyBrier());
        assertThat(backtest.budget().forecasts()).isZero();
        assertThat(forecasts.backtest(budget)).isEqualTo(backtest);
    }
}
