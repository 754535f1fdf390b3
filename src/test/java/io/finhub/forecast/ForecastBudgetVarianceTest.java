package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.catalog.MetricsService;
import io.finhub.forecast.BudgetVarianceForecaster.DepartmentForecast;
import io.finhub.revenue.RevenueModels;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The department budget-variance forecast on the {@code budget_forecast} fixture, by hand; amounts signed as in profit (cost negative). */
class ForecastBudgetVarianceTest {
    private static Store store;
    private static BudgetVarianceForecaster forecaster;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("budget_forecast");
        DerivedTables derived = new DerivedTables(store);
        forecaster = new BudgetVarianceForecaster(new MetricsService(store, FinhubServer.catalog(new RevenueModels(store, derived), derived)), store,
                Clock.fixed(Instant.parse("2025-02-10T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void one_month_into_the_quarter_the_forecast_combines_plan_ratio_and_run_rate() {
        BudgetVarianceForecaster.Forecast forecast = forecaster.forecast(2025, Optional.of(1), Optional.empty());

        assertThat(forecast.asOf()).isEqualTo(LocalDate.of(2025, 1, 31));
        assertThat(forecast.periodLabel()).isEqualTo("FY2025-Q1");
        DepartmentForecast marketing = forecast.departments().get(0);
        assertThat(marketing.departmentId()).isEqualTo("mkt");
        assertThat(marketing.budget()).isEqualByComparingTo("-3200.00");
        assertThat(marketing.actualToDate()).isEqualByComparingTo("-1150.00");
        assertThat(marketing.closedMonths()).isEqualTo(1);
        // Plan ratio: the last twelve closed months are February 2024 .. January 2025: (11 x 1100 + 1150) / (12 x 1000)
        // = 1.1041666667; January at actual, February and March at budget x ratio, to the cent: -1150 - 1104.17 - 1325.00.
        BigDecimal ratio = new BigDecimal("13250").divide(new BigDecimal("12000"), 10, RoundingMode.HALF_EVEN);
        BigDecimal planRatio = new BigDecimal("-1150.00").add(new BigDecimal("-1000.00").multiply(ratio).setScale(2, RoundingMode.HALF_EVEN))
                .add(new BigDecimal("-1200.00").multiply(ratio).setScale(2, RoundingMode.HALF_EVEN));
        assertThat(planRatio).isEqualByComparingTo("-3579.17");
        assertThat(marketing.planRatioProjectedActual()).isEqualByComparingTo(planRatio);
        // Run rate: -1150.00 over 31 of the quarter's 90 days -> -1150 x 90 / 31 = -3338.71.
        BigDecimal runRate = new BigDecimal("-1150.00").multiply(BigDecimal.valueOf(90)).divide(BigDecimal.valueOf(31), 2, RoundingMode.HALF_EVEN);
        assertThat(marketing.runRateProjectedActual()).isEqualByComparingTo(runRate);
        BigDecimal combined = planRatio.add(runRate).divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_EVEN);
        assertThat(marketing.projectedActual()).isEqualByComparingTo(combined);
        assertThat(marketing.projectedVariance()).isEqualByComparingTo(combined.subtract(new BigDecimal("-3200.00")));
        assertThat(marketing.favorable()).isFalse();
        assertThat(marketing.projectedVariancePct()).isEqualByComparingTo(
                combined.add(new BigDecimal("3200.00")).multiply(BigDecimal.valueOf(100)).divide(new BigDecimal("3200.00"), 4, RoundingMode.HALF_EVEN));
    }

    @Test
    void before_any_month_closes_the_forecast_is_the_plan_ratio() {
        DepartmentForecast marketing = forecaster.forecast(2025, Optional.of(1), Optional.of(LocalDate.of(2025, 1, 15))).departments().get(0);

        // 2024 ratio 1.1 on all three months: -(1000 + 1000 + 1200) x 1.1 = -3520.00.
        assertThat(marketing.closedMonths()).isZero();
        assertThat(marketing.runRateProjectedActual()).isNull();
        assertThat(marketing.projectedActual()).isEqualByComparingTo("-3520.00");
    }
}
