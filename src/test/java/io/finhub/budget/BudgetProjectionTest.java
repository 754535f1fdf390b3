package io.finhub.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.budget.BudgetVarianceRequest.BudgetVersion;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.forecast.BudgetVarianceForecaster;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Run-rate projections of budget against actual on the budget_projection fixture; every figure is worked out by hand in the comments. */
class BudgetProjectionTest {
    private static final LocalDate FEBRUARY_15 = LocalDate.of(2025, 2, 15);
    private static Store store;
    private static MetricsService metrics;
    private static BudgetVarianceQueries queries;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("budget_projection");
        Catalog catalog = StandardCatalog.create();
        BudgetCatalog.register(catalog);
        metrics = new MetricsService(store, catalog);
        queries = new BudgetVarianceQueries(metrics, store.calendar());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void a_large_projection_multiplies_before_it_divides() {
        // As of February 15th the quarter has January closed: 300,000,000.00 × 90 / 31 = 870,967,741.9355 → 870,967,741.94
        // (a factor rounded to 10 decimals first, 2.9032258065, gave 870,967,741.95). Budget 3 × 100,000,000 = 300,000,000:
        // projected variance 300,000,000 − 870,967,741.94 = −570,967,741.94.
        BudgetVarianceRow quarter = quarterOf("big", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), BudgetVersion.ORIGINAL, FEBRUARY_15);
        assertThat(quarter.projectedActual()).isEqualByComparingTo("870967741.94");
        assertThat(quarter.projectedVariance()).isEqualByComparingTo("-570967741.94");
        assertThat(forecastRunRate("big", FEBRUARY_15)).isEqualByComparingTo("-870967741.94");
    }

    @Test
    void a_range_ending_within_the_quarter_projects_to_the_end_of_the_range() {
        // 1 January to 28 February as of 15 February: the row's quarter in the range is 1 January to 28 February, 59 days, of
        // which January's 31 have closed. 100 × 59 / 31 = 190.3225 → 190.32 against the range's budget 100 + 100 = 200:
        // projected variance +9.68 (it read 100 × 90 / 31 = 290.32, the whole quarter, against two months of budget: −90.32).
        BudgetVarianceRow quarter = quarterOf("ref", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 28), BudgetVersion.ORIGINAL, FEBRUARY_15);
        assertThat(quarter.budget() + " " + quarter.projectedActual() + " " + quarter.projectedVariance()).isEqualTo("200.00 190.32 9.68");
    }

    @Test
    void a_range_starting_within_the_quarter_projects_from_the_start_of_the_range() {
        // 1 February to 31 December as of 15 March: the quarter in the range is 1 February to 31 March, 59 days. The run rate
        // reads to the end of the last month closed by 15 March, 28 February: February's 200 over its 28 days.
        // 200 × 59 / 28 = 421.4285 → 421.43 against the budget of February and March, 200: projected variance −221.43
        // (it read 200 × 90 / 59 = 305.08, January's days counted as elapsed with January's actuals left out).
        BudgetVarianceRow quarter = quarterOf("ref", LocalDate.of(2025, 2, 1), LocalDate.of(2025, 12, 31), BudgetVersion.ORIGINAL,
                LocalDate.of(2025, 3, 15));
        assertThat(quarter.budget() + " " + quarter.projectedActual() + " " + quarter.projectedVariance()).isEqualTo("200.00 421.43 -221.43");
    }

    @Test
    void a_range_that_has_ended_projects_to_its_actual() {
        // January alone, as of 15 February: the quarter in the range is January, closed. Projected = actual 100.00 against
        // January's budget 100: projected variance 0.00 (it read 100 × 90 / 31 = 290.32, −190.32).
        BudgetVarianceRow january = quarterOf("ref", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), BudgetVersion.ORIGINAL, FEBRUARY_15);
        assertThat(january.budget() + " " + january.actual() + " " + january.projectedActual() + " " + january.projectedVariance())
                .isEqualTo("100.00 100.00 100.00 0.00");
        // To 20 March, as of 15 March: a range counts the months that end within it (January and February: budget 200, actual
        // 100 + 200 = 300; March's postings of the 31st are outside it), and both have closed: projected = actual 300,
        // projected variance 200 − 300 = −100.00 (a run rate to 20 March read 300 × 79 / 59 = 401.69 against no March budget).
        BudgetVarianceRow toMarch20 = quarterOf("ref", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 20), BudgetVersion.ORIGINAL,
                LocalDate.of(2025, 3, 15));
        assertThat(toMarch20.budget() + " " + toMarch20.actual() + " " + toMarch20.projectedActual() + " " + toMarch20.projectedVariance())
                .isEqualTo("200.00 300.00 300.00 -100.00");
    }

    @Test
    void against_the_reforecast_utilization_compares_the_months_it_covers() {
        // ref's reforecast covers February and March (150 each = 300); their actuals 200 + 300 = 500, January's 100 is not
        // compared. Variance 300 − 500 = −200.00; utilisation 500 / 300 × 100 = 166.6667 (all actuals, 600 / 300, read 200.0000).
        // The actual column still shows every actual of the quarter, 600.00, and so does the closed quarter's projection;
        // its projected variance is the variance.
        BudgetVarianceRow quarter = quarterOf("ref", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), BudgetVersion.REFORECAST,
                LocalDate.of(2025, 6, 30));
        assertThat("%s %s %s %s %s %s".formatted(quarter.budget(), quarter.actual(), quarter.variance(), quarter.utilizationPct(),
                quarter.projectedActual(), quarter.projectedVariance())).isEqualTo("300.00 600.00 -200.00 166.6667 600.00 -200.00");
    }

    @Test
    void closed_months_with_nothing_posted_project_zero_as_the_forecast_does() {
        // idle: budget 100 a month, nothing posted. As of 15 February January has closed with nothing in it: 0 × 90 / 31 = 0.00,
        // projected variance 300 − 0 = +300.00 (it read null, null), and budgetVarianceForecast's run rate for the quarter is 0.00.
        BudgetVarianceRow quarter = quarterOf("idle", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), BudgetVersion.ORIGINAL, FEBRUARY_15);
        assertThat(quarter.projectedActual() + " " + quarter.projectedVariance()).isEqualTo("0.00 300.00");
        assertThat(forecastRunRate("idle", FEBRUARY_15)).isEqualByComparingTo("0.00");
        // As of 15 January no month of the quarter has closed: no run rate (GL posts at month end, so nothing yet is not a
        // rate of 0), and the forecast has none either.
        LocalDate january15 = LocalDate.of(2025, 1, 15);
        BudgetVarianceRow early = quarterOf("idle", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), BudgetVersion.ORIGINAL, january15);
        assertThat(early.projectedActual() + " " + early.projectedVariance()).isEqualTo("null null");
        assertThat(forecastRunRate("idle", january15)).isNull();
    }

    /** budgetVarianceForecast's run-rate projection of the first quarter, in profit signs (a cost negative). */
    private static BigDecimal forecastRunRate(String department, LocalDate asOf) {
        return new BudgetVarianceForecaster(metrics, store, Clock.systemUTC()).forecast(2025, Optional.of(1), Optional.of(asOf)).departments().stream()
                .filter(forecast -> forecast.departmentId().equals(department))
                .findFirst().orElseThrow().runRateProjectedActual();
    }

    private static BudgetVarianceRow quarterOf(String department, LocalDate from, LocalDate to, BudgetVersion version, LocalDate asOf) {
        List<BudgetVarianceRow> rows = queries.budgetVariance(new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT, BudgetDimension.QUARTER),
                Optional.of(from), Optional.of(to), version, List.of(new Filter("department", Operator.EQ, List.of(department))), asOf, 100, 0)).rows();
        assertThat(rows).extracting(BudgetVarianceRow::periodLabel).startsWith("FY2025-Q1");
        return rows.get(0);
    }
}
