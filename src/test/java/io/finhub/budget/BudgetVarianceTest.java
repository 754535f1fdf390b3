package io.finhub.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.budget.BudgetVarianceRequest.BudgetVersion;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Budget against actual on the budget_quarter fixture; every figure is worked out by hand in the comments. */
class BudgetVarianceTest {
    private static final LocalDate MARCH_10 = LocalDate.of(2025, 3, 10);
    private static Store store;
    private static MetricsService metrics;
    private static BudgetVarianceQueries queries;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("budget_quarter");
        Catalog catalog = StandardCatalog.create();
        BudgetCatalog.register(catalog);
        metrics = new MetricsService(store, catalog);
        queries = new BudgetVarianceQueries(metrics, store.calendar());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /**
     * The sign convention as AccountingCoach states it ("Favorable budget variance"): a variance is
     * favourable when actual revenues are more than budgeted, or actual expenses are less than budgeted.
     */
    @Test
    void revenue_above_budget_and_cost_below_budget_are_both_positive() {
        List<BudgetVarianceRow> january = report(List.of(BudgetDimension.DEPARTMENT, BudgetDimension.ACCOUNT_TYPE),
                LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31));
        // Sales revenue: actual 11000 − budget 10000 = +1000, +10.0000 %, favourable.
        // Marketing expense: budget 5000 − actual 5500 = −500, −10.0000 %, unfavourable; utilisation 5500 / 5000 = 110 %.
        assertThat(january).extracting(BudgetVarianceTest::line).containsExactly(
                "mkt EXPENSE budget=5000.00 actual=5500.00 variance=-500.00 pct=-10.0000 favorable=false utilization=110.0000",
                "sales REVENUE budget=10000.00 actual=11000.00 variance=1000.00 pct=10.0000 favorable=true utilization=110.0000");
    }

    @Test
    void department_variance_is_the_variance_of_profit() {
        List<BudgetVarianceRow> february = report(List.of(BudgetDimension.DEPARTMENT), LocalDate.of(2025, 2, 1), LocalDate.of(2025, 2, 28));
        // Marketing: budget 5000, actual 4000 EUR × 1.10 = 4400 → 5000 − 4400 = +600 (+12 %).
        // Sales: revenue 9400 − 10000 = −600, COGS 2000 − 1800 = +200 → profit variance −400;
        //        budgeted profit 10000 − 2000 = 8000, so −400 ÷ 8000 = −5 %.
        assertThat(february).extracting(row -> row.keys().get("department") + " " + row.variance() + " " + row.variancePct())
                .containsExactly("mkt 600.00 12.0000", "sales -400.00 -5.0000");
    }

    @Test
    void reforecast_version_is_compared_separately() {
        BudgetVarianceRequest request = new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT), Optional.of(LocalDate.of(2025, 2, 1)),
                Optional.of(LocalDate.of(2025, 2, 28)), BudgetVersion.REFORECAST, List.of(new Filter("department", Operator.EQ, List.of("mkt"))),
                MARCH_10, 100, 0);
        // Reforecast 5600 − actual 4400 = +1200; 1200 ÷ 5600 = 21.4286 %.
        assertThat(queries.budgetVariance(request).rows()).singleElement()
                .satisfies(row -> assertThat(row.budget() + " " + row.variance() + " " + row.variancePct()).isEqualTo("5600.00 1200.00 21.4286"));
    }

    @Test
    void a_month_without_a_reforecast_has_no_reforecast_variance() {
        // The fixture reforecasts February only. January's actual 5,500 USD against no reforecast: there is nothing to
        // compare with (it read as a reforecast of 0, so -5,500.00 "unfavourable"), while February's reads as above.
        BudgetVarianceRequest request = new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT, BudgetDimension.MONTH),
                Optional.of(LocalDate.of(2025, 1, 1)), Optional.of(LocalDate.of(2025, 2, 28)), BudgetVersion.REFORECAST,
                List.of(new Filter("department", Operator.EQ, List.of("mkt"))), MARCH_10, 100, 0);
        assertThat(queries.budgetVariance(request).rows())
                .extracting(row -> row.periodLabel() + " " + row.budget() + " " + row.variance() + " " + row.variancePct() + " " + row.projectedVariance())
                .containsExactly("2025-01 null null null null", "2025-02 5600.00 1200.00 21.4286 1200.00");

        // January and February in one row: the variance still compares February's actual (4,400.00) with its reforecast
        // (5,600.00), +1,200.00, not both months' actuals (9,900.00) with February's reforecast (-4,300.00).
        BudgetVarianceRequest bothMonths = new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT), request.from(), request.to(),
                BudgetVersion.REFORECAST, request.filters(), MARCH_10, 100, 0);
        assertThat(queries.budgetVariance(bothMonths).rows()).singleElement()
                .satisfies(row -> assertThat(row.budget() + " " + row.actual() + " " + row.variance() + " " + row.variancePct())
                        .isEqualTo("5600.00 9900.00 1200.00 21.4286"));
    }

    @Test
    void an_open_month_is_projected_at_its_run_rate() {
        List<BudgetVarianceRow> march = report(List.of(BudgetDimension.DEPARTMENT, BudgetDimension.MONTH), LocalDate.of(2025, 3, 1), LocalDate.of(2025, 3, 31));
        // 10 of March's 31 days have passed: 2000 × 31 / 10 = 6200 projected, budget 6200 → projected variance 0.00;
        // so far the variance reads +4200 (budget 6200 − actual 2000).
        assertThat(march).singleElement().satisfies(row -> {
            assertThat(row.periodLabel()).isEqualTo("2025-03");
            assertThat(row.periodEnd()).isEqualTo(LocalDate.of(2025, 3, 31));
            assertThat(row.variance()).isEqualByComparingTo("4200.00");
            assertThat(row.projectedActual()).isEqualByComparingTo("6200.00");
            assertThat(row.projectedVariance()).isEqualByComparingTo("0.00");
        });
        List<BudgetVarianceRow> january = report(List.of(BudgetDimension.MONTH), LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31));
        // A closed month projects to its actual: profit variance +1000 − 500 = +500.
        assertThat(january).singleElement().satisfies(row -> {
            assertThat(row.projectedActual()).isEqualByComparingTo(row.actual());
            assertThat(row.projectedVariance()).isEqualByComparingTo("500.00");
        });
    }

    @Test
    void the_run_rate_reads_to_the_last_closed_month_or_to_the_day_while_none_has_closed() {
        // March 10th: March has not closed; its run rate reads to the 10th, 1000 × 31 / 10 = 3100.
        assertThat(queries.runRate(TimeGrain.MONTH, MARCH_10)).hasValueSatisfying(rate -> {
            assertThat(rate.through()).isEqualTo(MARCH_10);
            assertThat(rate.project(new BigDecimal("1000.00"))).hasValueSatisfying(projected -> assertThat(projected).isEqualByComparingTo("3100.00"));
        });
        // The quarter has January and February closed: 90 days ÷ 59.
        assertThat(queries.runRate(TimeGrain.QUARTER, MARCH_10)).hasValueSatisfying(rate -> {
            assertThat(rate.start()).isEqualTo(LocalDate.of(2025, 1, 1));
            assertThat(rate.end()).isEqualTo(LocalDate.of(2025, 3, 31));
            assertThat(rate.through()).isEqualTo(LocalDate.of(2025, 2, 28));
        });
        // On its last day a month is closed: nothing to project.
        assertThat(queries.runRate(TimeGrain.MONTH, LocalDate.of(2025, 3, 31))).isEmpty();
    }

    @Test
    void a_quarter_in_progress_is_projected_from_its_closed_months() {
        // March 10th, marketing: January 5500 + February 4000 EUR × 1.10 = 4400 → 9900 in the 59 closed days;
        // 9900 × 90 / 59 = 15101.69 projected; budget 5000 + 5000 + 6200 = 16200 → projected variance +1098.31.
        // (The 2000 posted on March 10th is in the actual, not in the run rate: March has not closed.)
        assertThat(marketing(BudgetDimension.QUARTER, MARCH_10)).satisfies(row -> {
            assertThat(row.actual()).isEqualByComparingTo("11900.00");
            assertThat(row.projectedActual()).isEqualByComparingTo("15101.69");
            assertThat(row.projectedVariance()).isEqualByComparingTo("1098.31");
        });
    }

    @Test
    void a_projection_as_of_a_past_day_does_not_read_later_postings() {
        // As of February 15th only January has closed: 5500 × 90 / 31 = 15967.74; variance 16200 − 15967.74 = +232.26.
        // The February and March postings (after the 15th) must not count.
        LocalDate february15 = LocalDate.of(2025, 2, 15);
        assertThat(marketing(BudgetDimension.QUARTER, february15)).satisfies(row -> {
            assertThat(row.projectedActual()).isEqualByComparingTo("15967.74");
            assertThat(row.projectedVariance()).isEqualByComparingTo("232.26");
        });
        // February itself, as of the 15th: nothing of marketing's was posted by then, so there is no run rate to project.
        List<BudgetVarianceRow> months = queries.budgetVariance(new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT, BudgetDimension.MONTH),
                Optional.of(LocalDate.of(2025, 1, 1)), Optional.of(LocalDate.of(2025, 3, 31)), BudgetVersion.ORIGINAL,
                List.of(new Filter("department", Operator.EQ, List.of("mkt"))), february15, 100, 0)).rows();
        assertThat(months).extracting(row -> row.periodLabel() + " " + row.projectedActual() + " " + row.projectedVariance())
                .containsExactly("2025-01 5500.00 -500.00", "2025-02 null null", "2025-03 null null");
    }

    @Test
    void a_range_ending_within_a_month_compares_the_months_that_closed_in_it() {
        // 1 January to 15 February: January closed within the range, February did not (its actuals post on the 28th).
        // Marketing: budget January 5000 against actual January 5500 → −500.00, −10.0000 %; February's 5000 of budget
        // must not stand against no actual (that read +4500.00, "favourable").
        List<BudgetVarianceRow> rows = queries.budgetVariance(new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT),
                Optional.of(LocalDate.of(2025, 1, 1)), Optional.of(LocalDate.of(2025, 2, 15)), BudgetVersion.ORIGINAL,
                List.of(new Filter("department", Operator.EQ, List.of("mkt"))), MARCH_10, 100, 0)).rows();
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.budget() + " " + row.actual() + " " + row.variance() + " " + row.variancePct())
                .isEqualTo("5000.00 5500.00 -500.00 -10.0000"));
        // From the 15th of January: January ends within the range, so its budget and its actual both count.
        MetricsRequest fromMidJanuary = MetricsRequest.of(List.of("budget", "actual"), List.of("department"))
                .withFilters(List.of(new Filter("department", Operator.EQ, List.of("mkt"))))
                .withRange(LocalDate.of(2025, 1, 15), LocalDate.of(2025, 2, 28));
        assertThat(metrics.query(fromMidJanuary).rows()).singleElement()
                .satisfies(row -> assertThat(row.measures().get("budget") + " " + row.measures().get("actual")).isEqualTo("10000.00 9900.00"));
    }

    @Test
    void by_day_a_month_of_budget_sits_on_its_last_day_beside_that_months_actuals() {
        // Marketing's January: budget 5000 and actual 5500 (posted on the 31st) on the same day, 2025-01-31.
        MetricsRequest byDay = MetricsRequest.of(List.of("budget", "actual"), List.of())
                .withFilters(List.of(new Filter("department", Operator.EQ, List.of("mkt"))))
                .withRange(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31))
                .withGrain(TimeGrain.DAY);
        assertThat(metrics.query(byDay).rows()).extracting(row -> row.period() + " " + row.measures().get("budget") + " " + row.measures().get("actual"))
                .containsExactly("2025-01-31 5000.00 5500.00");
    }

    private static BudgetVarianceRow marketing(BudgetDimension grain, LocalDate asOf) {
        return queries.budgetVariance(new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT, grain), Optional.of(LocalDate.of(2025, 1, 1)),
                Optional.of(LocalDate.of(2025, 3, 31)), BudgetVersion.ORIGINAL, List.of(new Filter("department", Operator.EQ, List.of("mkt"))), asOf, 100, 0))
                .rows().get(0);
    }

    @Test
    void variances_sum_over_departments_to_the_total_to_the_cent() {
        MetricsRequest quarter = MetricsRequest.of(List.of("budgetVariance"), List.of()).withRange(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31));
        BigDecimal total = metrics.query(quarter).rows().get(0).measures().get("budgetVariance");
        BigDecimal sum = metrics.query(MetricsRequest.of(List.of("budgetVariance"), List.of("department", "account"))
                        .withRange(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31))).rows().stream()
                .map(row -> row.measures().get("budgetVariance"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        // Jan +1000 − 500; Feb +600 − 600 + 200; Mar 6200 − 2000 = 4200 → 4900.00
        assertThat(total).isEqualByComparingTo("4900.00");
        assertThat(sum).isEqualTo(total);
    }

    @Test
    void budget_variance_by_quarter_uses_the_fiscal_calendar() {
        List<BudgetVarianceRow> rows = report(List.of(BudgetDimension.QUARTER), LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.periodLabel()).isEqualTo("FY2025-Q1");
            assertThat(row.variance()).isEqualByComparingTo("4900.00");
        });
    }

    private static List<BudgetVarianceRow> report(List<BudgetDimension> by, LocalDate from, LocalDate to) {
        return queries.budgetVariance(new BudgetVarianceRequest(by, Optional.of(from), Optional.of(to), BudgetVersion.ORIGINAL, List.of(), MARCH_10, 100, 0))
                .rows();
    }

    private static String line(BudgetVarianceRow row) {
        return "%s %s budget=%s actual=%s variance=%s pct=%s favorable=%s utilization=%s".formatted(row.keys().get("department"),
                row.keys().get("accountType"), row.budget(), row.actual(), row.variance(), row.variancePct(), row.favorable(), row.utilizationPct());
    }

}
