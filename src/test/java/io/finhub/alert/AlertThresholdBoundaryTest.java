package io.finhub.alert;

import static io.finhub.alert.AlertFixtures.COST_ACCOUNTS;
import static io.finhub.alert.AlertFixtures.MARCH_15;
import static io.finhub.alert.AlertFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.alert.Alert.Resolution;
import io.finhub.alert.Alert.State;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.alert.AlertFixtures.Collector;
import io.finhub.attribution.AttributionCatalog;
import io.finhub.attribution.AttributionEvents;
import io.finhub.attribution.AttributionService;
import io.finhub.attribution.AttributionSettings;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.roi.RoiCatalog;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A threshold is crossed by any amount past it and not by a value exactly at it, though the numbers
 * an alert shows are rounded to 4 places: the default rules on amounts large enough that one cent
 * moves a percentage by less than the 0.00005 points that rounding hides.
 */
class AlertThresholdBoundaryTest {
    @Test
    void a_budget_overrun_just_past_ten_percent_fires_and_one_of_exactly_ten_percent_does_not() {
        try (Store store = ledgerWithOperations(); AlertService alerts = AlertFixtures.synchronous(store, AlertFixtures.metrics(store),
                Clock.fixed(MARCH_15, ZoneOffset.UTC))) {
            Collector<Alert> pushed = subscribe(alerts, AlertDefaults.BUDGET_VARIANCE);

            // Budget 100000.00, actual 110000.00: variance = 100000.00 − 110000.00 = −10000.00, ÷ 100000.00 × 100 = −10 exactly, not below −10.
            AlertFixtures.post(store, "ops-1", "ops", "6200", "2025-03-12", "110000.00");
            assertThat(pushed.drain()).isEmpty();

            // Actual 110000.04: −10000.04 ÷ 100000.00 × 100 = −10.00004, below −10 by 0.00004 points: fires, and shows −10.0000.
            AlertFixtures.post(store, "ops-2", "ops", "6200", "2025-03-12", "0.04");
            Alert fired = single(pushed.drain());
            assertThat(fired.state()).isEqualTo(State.FIRING);
            assertThat(fired.scope()).extracting(value -> value.dimension() + "=" + value.value()).containsExactly("department=ops");
            assertThat(fired.periodLabel()).isEqualTo("2025-03");
            assertThat(fired.observed()).isEqualByComparingTo("-10");
            assertThat(budgetVariancePct(AlertFixtures.metrics(store), "ops")).as("reports still show 4 places").isEqualTo("-10.0000");

            // A credit of 0.04 brings it back to exactly −10: resolves.
            AlertFixtures.post(store, "ops-3", "ops", "6200", "2025-03-12", "-0.04");
            Alert resolved = single(pushed.drain());
            assertThat(resolved.id()).isEqualTo(fired.id());
            assertThat(resolved.resolved().orElseThrow().resolution()).isEqualTo(Resolution.RECOVERED);
        }
    }

    @Test
    void a_cost_increase_just_past_fifteen_percent_fires_and_one_of_exactly_fifteen_percent_does_not() {
        try (Store store = ledgerWithOperations(); AlertService alerts = AlertFixtures.synchronous(store, AlertFixtures.metrics(store),
                Clock.fixed(MARCH_15, ZoneOffset.UTC))) {
            Collector<Alert> pushed = subscribe(alerts, AlertDefaults.COST_INCREASE);

            // February 100000.00, March 115000.00: (115000.00 − 100000.00) ÷ 100000.00 × 100 = 15 exactly, not above 15.
            AlertFixtures.post(store, "ops-1", "ops", "6200", "2025-03-12", "115000.00");
            assertThat(pushed.drain()).isEmpty();

            // March 115000.01: 15000.01 ÷ 100000.00 × 100 = 15.00001, above 15 by 0.00001 points
            // ((115000.01 − 100000.00) × 100 = 1500001.00 > 15 × 100000.00 = 1500000.00): fires, and shows 15.0000.
            AlertFixtures.post(store, "ops-2", "ops", "6200", "2025-03-12", "0.01");
            Alert fired = single(pushed.drain());
            assertThat(fired.scope()).extracting(value -> value.dimension() + "=" + value.value()).containsExactly("department=ops");
            assertThat(fired.value()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("115000.01"));
            assertThat(fired.baselineValue()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("100000.00"));
            assertThat(fired.observed()).isEqualByComparingTo("15");
        }
    }

    @Test
    void a_cost_just_past_ten_percent_over_its_budget_measure_fires_and_one_exactly_ten_percent_over_does_not() {
        try (Store store = ledgerWithOperations(); AlertService alerts = AlertFixtures.synchronous(store, AlertFixtures.metrics(store),
                Clock.fixed(MARCH_15, ZoneOffset.UTC))) {
            alerts.create(rule("ops-over-budget", "actual", List.of("department"), List.of(COST_ACCOUNTS),
                    AlertCondition.againstMeasure(Comparison.ABOVE, "10", "budget")));
            Collector<Alert> pushed = subscribe(alerts, "ops-over-budget");

            // Budget 100000.00, actual 110000.00: (110000.00 − 100000.00) ÷ 100000.00 × 100 = 10 exactly, not above 10.
            AlertFixtures.post(store, "ops-1", "ops", "6200", "2025-03-12", "110000.00");
            assertThat(pushed.drain()).isEmpty();

            // 110000.01: 10000.01 ÷ 100000.00 × 100 = 10.00001, above 10 by 0.00001 points: fires, and shows 10.0000.
            AlertFixtures.post(store, "ops-2", "ops", "6200", "2025-03-12", "0.01");
            Alert fired = single(pushed.drain());
            assertThat(fired.scope()).extracting(value -> value.dimension() + "=" + value.value()).containsExactly("department=ops");
            assertThat(fired.observed()).isEqualByComparingTo("10");
        }
    }

    @Test
    void a_campaign_roi_just_under_two_hundred_percent_fires_and_one_of_exactly_two_hundred_does_not() {
        // The alerts_roi_boundary fixture: at-200 has ROI 200 % exactly, under-200 has 199.99996 % (see the fixture).
        // On 15 April FY2025-Q1 is closed, so the default rule (roiPct by campaign below 200, closed quarters) watches it.
        try (Store store = TestStores.withFixture("alerts_roi_boundary")) {
            MetricsService metrics = AlertFixtures.metrics(store, roiCatalog(store));
            try (AlertService alerts = AlertFixtures.synchronous(store, metrics, Clock.fixed(Instant.parse("2025-04-15T12:00:00Z"), ZoneOffset.UTC))) {
                assertThat(alerts.alerts(new AlertQuery(Optional.of(State.FIRING), Optional.empty(), Optional.of(AlertDefaults.CAMPAIGN_ROI), Optional.empty(), 10)))
                        .extracting(alert -> alert.scope().get(0).value() + " " + alert.periodLabel() + " " + alert.observed().toPlainString())
                        .containsExactly("under-200 FY2025-Q1 200");
            }
            assertThat(metrics.query(MetricsRequest.of(List.of("roiPct"), List.of("campaign")).withGrain(TimeGrain.QUARTER)
                    .withRange(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31))).rows())
                    .as("reports still show 4 places")
                    .extracting(row -> row.dimensions().get("campaign") + " " + row.measures().get("roiPct").toPlainString())
                    .containsExactlyInAnyOrder("at-200 200.0000", "under-200 200.0000");
        }
    }

    private static Store ledgerWithOperations() {
        Store store = AlertFixtures.ledger();
        TestStores.load(store, "alerts_boundary");
        return store;
    }

    private static Catalog roiCatalog(Store store) {
        Catalog catalog = StandardCatalog.create();
        AttributionCatalog.register(catalog, new AttributionService(store, AttributionSettings.DEFAULTS, new AttributionEvents(), Runnable::run));
        RoiCatalog.register(catalog, new DerivedTables(store));
        return catalog;
    }

    private static String budgetVariancePct(MetricsService metrics, String department) {
        return metrics.query(MetricsRequest.of(List.of("budgetVariancePct"), List.of("department")).withFilters(List.of(COST_ACCOUNTS))
                        .withRange(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 3, 31))).rows().stream()
                .filter(row -> department.equals(row.dimensions().get("department")))
                .map(row -> row.measures().get("budgetVariancePct").toPlainString())
                .findFirst().orElseThrow();
    }

    private static Collector<Alert> subscribe(AlertService alerts, String rule) {
        Collector<Alert> collector = new Collector<>();
        alerts.subscribe(Optional.empty(), Optional.of(rule)).subscribe(collector);
        return collector;
    }

    private static Alert single(List<Alert> alerts) {
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }
}
