package io.finhub.alert;

import static io.finhub.alert.AlertFixtures.COST_ACCOUNTS;
import static io.finhub.alert.AlertFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.alert.AlertCondition.Baseline;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.alert.AlertRuleStatus.Status;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.Measure;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.StandardCatalog;
import io.finhub.catalog.Unit;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An invalid rule is rejected with a code and a message naming the field; the default rules wait for measures that are not there yet. */
class AlertRuleValidationTest {
    private static Store store;
    private static AlertService alerts;

    @BeforeAll
    static void open() {
        store = AlertFixtures.ledger();
        alerts = AlertFixtures.synchronous(store, AlertFixtures.metrics(store), Clock.fixed(AlertFixtures.MARCH_15, ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        alerts.close();
        store.close();
    }

    private static AlertRule valid(String id) {
        return rule(id, "spend", List.of("channel"), List.of(), AlertCondition.value(Comparison.ABOVE, "1000"));
    }

    private static void rejected(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FinhubException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void an_unknown_measure_is_named() {
        rejected(() -> alerts.create(rule("r", "revenu", List.of(), List.of(), AlertCondition.value(Comparison.ABOVE, "1"))),
                ErrorCode.UNKNOWN_MEASURE, "measure: unknown measure 'revenu'; known measures: spend, ");
    }

    @Test
    void an_unknown_target_measure_is_named() {
        rejected(() -> alerts.create(rule("r", "actual", List.of(), List.of(), AlertCondition.againstMeasure(Comparison.ABOVE, "10", "budgett"))),
                ErrorCode.UNKNOWN_MEASURE, "targetMeasure: unknown measure 'budgett'");
    }

    @Test
    void a_dimension_the_measure_does_not_have_is_refused() {
        rejected(() -> alerts.create(rule("r", "spend", List.of("segment"), List.of(), AlertCondition.value(Comparison.ABOVE, "1"))),
                ErrorCode.DIMENSION_NOT_ALLOWED, "dimensions: measure 'spend' cannot be grouped by dimension 'segment'; its dimensions are: channel, ");
        rejected(() -> alerts.create(rule("r", "spend", List.of(), List.of(new Filter("segment", Operator.EQ, List.of("SMB"))),
                AlertCondition.value(Comparison.ABOVE, "1"))), ErrorCode.DIMENSION_NOT_ALLOWED, "filters: measure 'spend' cannot be filtered by dimension 'segment'");
        rejected(() -> alerts.create(rule("r", "spend", List.of("colour"), List.of(), AlertCondition.value(Comparison.ABOVE, "1"))),
                ErrorCode.UNKNOWN_DIMENSION, "dimensions: unknown dimension 'colour'");
    }

    @Test
    void a_target_measure_must_allow_the_rule_dimensions_too() {
        // budget has no channel: actual-against-budget cannot be grouped by it either.
        rejected(() -> alerts.create(rule("r", "spend", List.of("channel"), List.of(), AlertCondition.againstMeasure(Comparison.ABOVE, "10", "budget"))),
                ErrorCode.DIMENSION_NOT_ALLOWED, "measure 'budget' cannot be grouped by dimension 'channel'");
    }

    @Test
    void filters_need_values() {
        rejected(() -> alerts.create(rule("r", "actual", List.of(), List.of(new Filter("accountType", Operator.IN, List.of())),
                AlertCondition.value(Comparison.ABOVE, "1"))), ErrorCode.INVALID_FILTER, "the filter on 'accountType' has no values");
        rejected(() -> alerts.create(rule("r", "actual", List.of(), List.of(new Filter("accountType", Operator.EQ, List.of("EXPENSE", "COGS"))),
                AlertCondition.value(Comparison.ABOVE, "1"))), ErrorCode.INVALID_FILTER, "takes exactly one value, got 2");
    }

    @Test
    void bad_thresholds_are_refused() {
        rejected(() -> alerts.create(rule("r", "spend", List.of(), List.of(), AlertCondition.value(Comparison.ABOVE, "10.12345"))),
                ErrorCode.INVALID_ALERT_RULE, "threshold 10.12345 has more than 4 decimal places");
        rejected(() -> alerts.create(rule("r", "spend", List.of(), List.of(), AlertCondition.value(Comparison.OUTSIDE, "-5"))),
                ErrorCode.INVALID_ALERT_RULE, "must not be negative for OUTSIDE");
        rejected(() -> alerts.create(rule("r", "spend", List.of(), List.of(), AlertCondition.againstPreviousPeriod(Comparison.ABOVE, "250000"))),
                ErrorCode.INVALID_ALERT_RULE, "threshold 250000 is out of range: at most 100000 either way (percent deviation from the baseline)");
    }

    @Test
    void a_target_is_either_a_measure_or_a_value() {
        rejected(() -> alerts.create(rule("r", "actual", List.of(), List.of(),
                new AlertCondition(Comparison.ABOVE, BigDecimal.TEN, Baseline.TARGET, Optional.empty(), Optional.empty()))),
                ErrorCode.INVALID_ALERT_RULE, "baseline TARGET needs exactly one of targetMeasure");
        rejected(() -> alerts.create(rule("r", "actual", List.of(), List.of(),
                new AlertCondition(Comparison.ABOVE, BigDecimal.TEN, Baseline.TARGET, Optional.of("budget"), Optional.of(BigDecimal.ONE)))),
                ErrorCode.INVALID_ALERT_RULE, "baseline TARGET needs exactly one of targetMeasure");
        rejected(() -> alerts.create(rule("r", "actual", List.of(), List.of(),
                new AlertCondition(Comparison.ABOVE, BigDecimal.TEN, Baseline.PREVIOUS_PERIOD, Optional.of("budget"), Optional.empty()))),
                ErrorCode.INVALID_ALERT_RULE, "targetMeasure and targetValue apply only to baseline TARGET, not PREVIOUS_PERIOD");
        rejected(() -> alerts.create(rule("r", "actual", List.of(), List.of(), AlertCondition.againstValue(Comparison.ABOVE, "10", "0"))),
                ErrorCode.INVALID_ALERT_RULE, "targetValue must not be zero");
    }

    @Test
    void ids_windows_and_duplicates_are_checked() {
        rejected(() -> alerts.create(valid("Not An Id")), ErrorCode.INVALID_ALERT_RULE, "id 'Not An Id' must be 1 to 64 lower-case letters");
        AlertRule backwards = new AlertRule("backwards", "Backwards", Optional.empty(), "spend", List.of(), List.of(), TimeGrain.MONTH,
                AlertWindow.fixed(LocalDate.of(2025, 3, 31), LocalDate.of(2025, 3, 1)), AlertCondition.value(Comparison.ABOVE, "1"), AlertSeverity.INFO, true, false);
        rejected(() -> alerts.create(backwards), ErrorCode.INVALID_DATE_RANGE, "window: 'from' (2025-03-31) is after 'to' (2025-03-01)");
        AlertRule noLookback = new AlertRule("no-lookback", "None", Optional.empty(), "spend", List.of(), List.of(), TimeGrain.MONTH,
                AlertWindow.rolling(0, true), AlertCondition.value(Comparison.ABOVE, "1"), AlertSeverity.INFO, true, false);
        rejected(() -> alerts.create(noLookback), ErrorCode.INVALID_ALERT_RULE, "lookbackPeriods must be between 1 and 120, was 0");

        alerts.create(valid("twice"));
        rejected(() -> alerts.create(valid("twice")), ErrorCode.ALREADY_EXISTS, "an alert rule 'twice' exists already");
        rejected(() -> alerts.update("nobody", rule -> rule), ErrorCode.NOT_FOUND, "no alert rule 'nobody'");
    }

    @Test
    void the_default_rules_are_installed_and_on() {
        assertThat(alerts.rules()).filteredOn(status -> status.rule().builtIn())
                .extracting(status -> status.rule().id() + " " + status.rule().enabled())
                .containsExactly("budget-variance true", "cac-target true", "campaign-roi true", "cost-increase true", "product-development-cost true",
                        "revenue-target true");
        assertThat(alerts.rule(AlertDefaults.BUDGET_VARIANCE).status()).isEqualTo(Status.ACTIVE);
    }

    @Test
    void a_default_rule_over_a_measure_not_registered_yet_says_so_and_stays_editable() {
        AlertRuleStatus roi = alerts.rule(AlertDefaults.CAMPAIGN_ROI);
        assertThat(roi.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(roi.problem()).hasValueSatisfying(problem -> assertThat(problem).startsWith("measure: unknown measure 'roiPct'"));
        assertThat(alerts.evaluateNow(Optional.of(AlertDefaults.CAMPAIGN_ROI))).isEmpty();

        AlertRuleStatus raised = alerts.update(AlertDefaults.CAMPAIGN_ROI, rule -> new AlertRule(rule.id(), rule.name(), rule.description(), rule.measure(),
                rule.dimensions(), rule.filters(), rule.grain(), rule.window(), AlertCondition.value(Comparison.BELOW, "150"), rule.severity(), rule.enabled(),
                rule.builtIn()));
        assertThat(raised.rule().condition().threshold()).isEqualByComparingTo("150");
        rejected(() -> alerts.update("cost-increase", rule -> new AlertRule(rule.id(), rule.name(), rule.description(), "roiPct", rule.dimensions(),
                rule.filters(), rule.grain(), rule.window(), rule.condition(), rule.severity(), rule.enabled(), rule.builtIn())),
                ErrorCode.UNKNOWN_MEASURE, "unknown measure 'roiPct'");
    }

    @Test
    void a_rule_waiting_for_a_measure_works_once_the_catalog_has_it() {
        // A catalog where roiPct exists: spend 1000 in Q4 2024 and, say, 1500 attributed revenue give (1500 − 1000) ÷ 1000 = 50 %.
        Catalog catalog = StandardCatalog.create();
        catalog.addMeasure(Measure.derived("roiPct", "ROI % (test stand-in)", Unit.PERCENT, List.of("spend"),
                inputs -> Optional.ofNullable(inputs.get(0)).map(spend -> new BigDecimal("1500").subtract(spend).multiply(BigDecimal.valueOf(100))
                        .divide(spend, 4, java.math.RoundingMode.HALF_EVEN))));
        try (AlertService withRoi = AlertFixtures.synchronous(store, AlertFixtures.metrics(store, catalog), Clock.fixed(AlertFixtures.MARCH_15, ZoneOffset.UTC))) {
            assertThat(withRoi.rule(AlertDefaults.CAMPAIGN_ROI).status()).isEqualTo(Status.ACTIVE);
            assertThat(withRoi.alerts(new AlertQuery(Optional.of(Alert.State.FIRING), Optional.empty(), Optional.of(AlertDefaults.CAMPAIGN_ROI),
                    Optional.empty(), 10)))
                    .extracting(alert -> alert.scope().get(0).value() + " " + alert.periodLabel() + " " + alert.observed().toPlainString())
                    .containsExactly("s-q4 FY2024-Q4 50");
        }
    }

    @Test
    void a_cost_rule_over_the_ledger_is_valid() {
        assertThat(alerts.create(rule("ledger-cost", "actual", List.of("department"), List.of(COST_ACCOUNTS),
                AlertCondition.againstMeasure(Comparison.ABOVE, "25", "budget"))).status()).isEqualTo(Status.ACTIVE);
    }
}
