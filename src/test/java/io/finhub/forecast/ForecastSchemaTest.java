package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The forecast API as GraphQL documents against the real schema and DuckDB (fixtures {@code forecast_company} and {@code budget_forecast}). */
class ForecastSchemaTest {
    private static Store store;
    private static GraphqlEngine engine;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("forecast_company");
        TestStores.load(store, "budget_forecast");
        engine = FinhubServer.graphql(store, Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void the_portfolio_forecast_answers_by_quarter_with_ranges_and_scenarios() {
        Map<String, Object> forecast = map(data("""
                { portfolioForecast(horizonQuarters: 2, scenarios: [{name: "SMB shock", churnShock: 0.2, segment: "SMB"}]) {
                    asOf horizonEnd currency model { trainingCases }
                    total { renewals modelRenewalArr modelTotal adjustedTotal modelTotalRange { p10 p50 p90 method uncertainOutcomes } }
                    byQuarter { quarterLabel figures { modelTotal } }
                    scenarios { name churnShock segment modelTotal modelTotalChange } } }""").get("portfolioForecast"));

        assertThat(forecast.get("asOf")).isEqualTo("2025-12-31");
        assertThat(forecast.get("horizonEnd")).isEqualTo("2026-06-30");
        assertThat(forecast.get("model")).isNull();
        Map<String, Object> total = map(forecast.get("total"));
        // Q1 and Q2 only: A-1 6 000.00 + B-1 11 000.00 + X1 630.00.
        assertThat((BigDecimal) total.get("modelTotal")).isEqualByComparingTo("17630.00");
        assertThat(map(total.get("modelTotalRange")).get("method")).isEqualTo("EXACT");
        assertThat(list(forecast.get("byQuarter"))).extracting(group -> group.get("quarterLabel")).containsExactly("FY2026-Q1", "FY2026-Q2");
        // SMB shock: A-1 0.48 -> 4 800.00, X1 0.168 -> 504.00; B-1 stays 11 000.00.
        Map<String, Object> shock = list(forecast.get("scenarios")).get(0);
        assertThat((BigDecimal) shock.get("modelTotal")).isEqualByComparingTo("16304.00");
        assertThat((BigDecimal) shock.get("modelTotalChange")).isEqualByComparingTo("-1326.00");
    }

    @Test
    void a_scenario_with_an_explicit_null_shift_uses_the_default_of_no_shift() {
        // ScenarioInput.healthShift = 0 and churnShock = 0: nothing changes, so the scenario's total is the model's
        // (Q1 and Q2: 6 000.00 + 11 000.00 + 630.00 = 17 630.00, as above) and the change is 0.
        Map<String, Object> forecast = map(data("""
                { portfolioForecast(horizonQuarters: 2, scenarios: [{name: "a", healthShift: null, churnShock: null}]) {
                    scenarios { name healthShift churnShock modelTotal modelTotalChange } } }""").get("portfolioForecast"));
        Map<String, Object> scenario = list(forecast.get("scenarios")).get(0);
        assertThat(scenario.get("healthShift")).isEqualTo(0);
        assertThat((BigDecimal) scenario.get("modelTotal")).isEqualByComparingTo("17630.00");
        assertThat((BigDecimal) scenario.get("modelTotalChange")).isEqualByComparingTo("0");
    }

    @Test
    void a_scenario_for_an_unknown_segment_is_refused_naming_the_known_ones() {
        // forecast_company's customers are in segments ENTERPRISE (b2) and SMB (a1, z0); names match exactly.
        for (String segment : List.of("enterprise", "nope")) {
            ExecutionResult result = engine.execute(new GraphqlRequest(
                    "{ portfolioForecast(scenarios: [{name: \"x\", churnShock: 0.2, segment: \"%s\"}]) { scenarios { modelTotalChange } } }".formatted(segment),
                    null, null, null));
            assertThat(result.getErrors()).singleElement().satisfies(error -> {
                assertThat(error.getExtensions()).containsEntry("code", "BAD_REQUEST");
                assertThat(error.getMessage()).contains("'" + segment + "'").contains("ENTERPRISE, SMB");
            });
        }
    }

    @Test
    void adjust_forecast_then_shows_model_and_adjusted_side_by_side() {
        Map<String, Object> adjustment = map(data("""
                mutation { adjustForecast(input: {opportunityId: "OPP-X2", probability: 0.9, reason: "signed order form pending",
                                                 adjustedBy: "csm", evidence: [{kind: "EMAIL", reference: "mail-4411"}]}) {
                    targetKind targetId modelProbability modelExpected adjustedProbability adjustedExpected adjustedAt evidence { kind } } }""")
                .get("adjustForecast"));

        assertThat(adjustment.get("targetKind")).isEqualTo("EXPANSION");
        assertThat((BigDecimal) adjustment.get("modelExpected")).isEqualByComparingTo("605.00");
        // 1 100.00 x 0.9 = 990.00.
        assertThat((BigDecimal) adjustment.get("adjustedExpected")).isEqualByComparingTo("990.00");
        Map<String, Object> beta = map(data("""
                { forecast(customerId: "b2") { total { modelExpansionArr adjustedExpansionArr adjustedLines }
                                               expansions { opportunityId modelExpected adjustmentId adjustedExpected } } }""").get("forecast"));
        assertThat((BigDecimal) map(beta.get("total")).get("modelExpansionArr")).isEqualByComparingTo("605.00");
        assertThat((BigDecimal) map(beta.get("total")).get("adjustedExpansionArr")).isEqualByComparingTo("990.00");
        assertThat(list(beta.get("expansions")).get(0).get("adjustmentId")).isNotNull();
        assertThat(list(data("{ forecastAdjustments(customerId: \"b2\") { reason } }").get("forecastAdjustments")))
                .extracting(row -> row.get("reason")).containsExactly("signed order form pending");
    }

    @Test
    void a_bad_adjustment_is_a_bad_request() {
        ExecutionResult result = engine.execute(new GraphqlRequest("""
                mutation { adjustForecast(input: {contractId: "A-1", probability: 2, reason: "r", adjustedBy: "csm", evidence: [{kind: "k", reference: "r"}]}) {
                    adjustmentId } }""", null, Map.of(), Map.of()));

        assertThat(result.getErrors()).singleElement().satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "BAD_REQUEST"));
    }

    @Test
    void the_budget_variance_forecast_and_the_backtest_are_queries() {
        Map<String, Object> budget = map(data("""
                { budgetVarianceForecast(fiscalYear: 2025, fiscalQuarter: 1, asOf: "2025-01-31") {
                    periodLabel departments { departmentId budget closedMonths projectedActual planRatioProjectedActual runRateProjectedActual favorable } } }""")
                .get("budgetVarianceForecast"));
        assertThat(budget.get("periodLabel")).isEqualTo("FY2025-Q1");
        assertThat(list(budget.get("departments"))).singleElement().satisfies(department -> {
            assertThat((BigDecimal) department.get("planRatioProjectedActual")).isEqualByComparingTo("-3579.17");
            assertThat(department.get("favorable")).isEqualTo(false);
        });

        Map<String, Object> backtest = map(data("""
                { forecastBacktest { currency dataAsOf method renewals { portfolioQuarters { forecasts } probabilities { predictions } }
                                     budget { forecasts planRatio { projectedActual { mapePct } } runRate { projectedActual { mapePct } } } } }""")
                .get("forecastBacktest"));
        // Two decided renewals are too few to fit a model before any quarter.
        assertThat(map(map(backtest.get("renewals")).get("portfolioQuarters")).get("forecasts")).isEqualTo(0);
        assertThat((String) backtest.get("method")).contains("Expanding window");
        // The four quarters of 2024, each forecast once January, April, July or October closed at 1 100 against 1 000.
        // Plan ratio (1.1 throughout) is exact; the run rate scales one month to the quarter's days: 91/31, 91/30, 92/31, 92/31.
        Map<String, Object> budgetBacktest = map(backtest.get("budget"));
        assertThat(budgetBacktest.get("forecasts")).isEqualTo(4);
        assertThat((Double) map(map(budgetBacktest.get("planRatio")).get("projectedActual")).get("mapePct")).isZero();
        double runRateMape = (Math.abs(1100.0 * 91 / 31 - 3300) + Math.abs(1100.0 * 91 / 30 - 3300) + 2 * Math.abs(1100.0 * 92 / 31 - 3300)) / 3300 / 4 * 100;
        assertThat((Double) map(map(budgetBacktest.get("runRate")).get("projectedActual")).get("mapePct")).isCloseTo(runRateMape,
                org.assertj.core.api.Assertions.within(0.001));
    }

    private static Map<String, Object> data(String query) {
        ExecutionResult result = engine.execute(new GraphqlRequest(query, null, Map.of(), Map.of()));
        assertThat(result.getErrors()).isEmpty();
        return result.getData();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
