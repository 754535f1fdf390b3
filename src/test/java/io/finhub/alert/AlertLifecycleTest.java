package io.finhub.alert;

import static io.finhub.alert.AlertFixtures.COST_ACCOUNTS;
import static io.finhub.alert.AlertFixtures.MARCH_15;
import static io.finhub.alert.AlertFixtures.costOverBudget;
import static io.finhub.alert.AlertFixtures.postMarketingMedia;
import static io.finhub.alert.AlertFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.alert.Alert.Resolution;
import io.finhub.alert.Alert.State;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.alert.AlertFixtures.Collector;
import io.finhub.alert.AlertFixtures.MovableClock;
import io.finhub.store.Store;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fire, stay quiet, resolve, fire again, on the alerts_ledger fixture with the clock on 2025-03-15.
 * Budget variance is in profit signs (cost negative), so for marketing's March media budget of 5000:
 * variance % = (budget − actual) ÷ 5000 × 100, and actual 2000 gives +60.
 */
class AlertLifecycleTest {
    private Store store;
    private MovableClock clock;
    private AlertService alerts;

    @BeforeEach
    void open() {
        store = AlertFixtures.ledger();
        clock = new MovableClock(MARCH_15);
        alerts = AlertFixtures.synchronous(store, AlertFixtures.metrics(store), clock);
    }

    @AfterEach
    void close() {
        alerts.close();
        store.close();
    }

    private Collector<Alert> subscribe(String rule) {
        Collector<Alert> collector = new Collector<>();
        alerts.subscribe(Optional.empty(), Optional.of(rule)).subscribe(collector);
        return collector;
    }

    @Test
    void a_scope_fires_once_when_it_crosses_and_resolves_when_it_comes_back() {
        alerts.create(costOverBudget("media-overrun"));
        Collector<Alert> pushed = subscribe("media-overrun");
        assertThat(firing("media-overrun")).as("+60%% and 0%% are within the threshold").isEmpty();

        // 2000 + 3800 = 5800: (5000 − 5800) ÷ 5000 = −16 % < −10 %: fires.
        long crossing = postMarketingMedia(store, "m1", "3800.00");
        Alert fired = single(pushed.drain());
        assertThat(fired.state()).isEqualTo(State.FIRING);
        assertThat(fired.observed()).isEqualByComparingTo("-16");
        assertThat(fired.scope()).extracting(value -> value.dimension() + "=" + value.value() + " " + value.label().orElseThrow())
                .containsExactly("department=mkt Marketing");
        assertThat(fired.period()).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(fired.periodLabel()).isEqualTo("2025-03");
        assertThat(fired.firedVersion()).isEqualTo(crossing);
        assertThat(fired.message()).isEqualTo("Marketing, 2025-03: budgetVariancePct is -16, below the threshold -10");

        // 5900: −18 %, still breached: nothing new, still one firing alert.
        postMarketingMedia(store, "m2", "100.00");
        assertThat(pushed.drain()).isEmpty();
        assertThat(firing("media-overrun")).extracting(Alert::id).containsExactly(fired.id());

        // A credit of 1400: 4500, (5000 − 4500) ÷ 5000 = +10 %: resolves.
        long recovery = postMarketingMedia(store, "m3", "-1400.00");
        Alert resolved = single(pushed.drain());
        assertThat(resolved.id()).isEqualTo(fired.id());
        assertThat(resolved.state()).isEqualTo(State.RESOLVED);
        assertThat(resolved.resolved().orElseThrow().resolution()).isEqualTo(Resolution.RECOVERED);
        assertThat(resolved.resolved().orElseThrow().observed()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("10"));
        assertThat(resolved.resolved().orElseThrow().version()).isEqualTo(recovery);
        assertThat(firing("media-overrun")).isEmpty();

        // 5700: −14 %: a new alert, not the old one reopened.
        postMarketingMedia(store, "m4", "1200.00");
        Alert again = single(pushed.drain());
        assertThat(again.state()).isEqualTo(State.FIRING);
        assertThat(again.id()).isNotEqualTo(fired.id());
        assertThat(again.observed()).isEqualByComparingTo("-14");

        List<Alert> history = alerts.alerts(new AlertQuery(Optional.empty(), Optional.empty(), Optional.of("media-overrun"), Optional.empty(), 10));
        assertThat(history).extracting(alert -> alert.id() + " " + alert.state())
                .containsExactlyInAnyOrder(fired.id() + " RESOLVED", again.id() + " FIRING");
    }

    @Test
    void a_history_query_returns_what_was_pushed() {
        alerts.create(costOverBudget("media-overrun"));
        Collector<Alert> pushed = subscribe("media-overrun");
        postMarketingMedia(store, "m1", "3800.00");
        Alert fired = single(pushed.drain());
        assertThat(alerts.alert(fired.id())).contains(fired);
        assertThat(alerts.alerts(new AlertQuery(Optional.of(State.FIRING), Optional.of(MARCH_15), Optional.of("media-overrun"),
                Optional.of(AlertSeverity.WARNING), 10))).containsExactly(fired);
        assertThat(alerts.alerts(new AlertQuery(Optional.empty(), Optional.empty(), Optional.of("media-overrun"), Optional.of(AlertSeverity.CRITICAL), 10)))
                .as("a WARNING is less severe than CRITICAL").isEmpty();
        assertThat(alerts.alerts(new AlertQuery(Optional.empty(), Optional.of(MARCH_15.plusSeconds(1)), Optional.of("media-overrun"), Optional.empty(), 10)))
                .as("nothing changed after the instant it fired").isEmpty();
    }

    @Test
    void a_cost_increase_is_measured_against_the_previous_period() {
        alerts.create(rule("cost-up", "actual", List.of("department"), List.of(COST_ACCOUNTS), AlertCondition.againstPreviousPeriod(Comparison.ABOVE, "15")));
        Collector<Alert> pushed = subscribe("cost-up");
        // February 5000; March 2000 + 3800 = 5800: (5800 − 5000) ÷ 5000 = +16 % > 15 %.
        postMarketingMedia(store, "m1", "3800.00");
        Alert fired = single(pushed.drain());
        assertThat(fired.value()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("5800"));
        assertThat(fired.baselineValue()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("5000"));
        assertThat(fired.observed()).isEqualByComparingTo("16");
        assertThat(fired.message()).isEqualTo("Marketing, 2025-03: actual 5800 is 16% above the previous period (5000) (fires above 15%)");
    }

    @Test
    void a_fixed_target_is_compared_as_a_percentage() {
        alerts.create(rule("media-target", "actual", List.of("department"), List.of(COST_ACCOUNTS),
                AlertCondition.againstValue(Comparison.ABOVE, "10", "5000")));
        Collector<Alert> pushed = subscribe("media-target");
        // 2000 + 3600 = 5600: (5600 − 5000) ÷ 5000 = +12 %. Engineering's 8000 is +60 % on the same fixed target.
        postMarketingMedia(store, "m1", "3600.00");
        assertThat(pushed.drain()).extracting(alert -> alert.scope().get(0).value() + " " + alert.observed().toPlainString())
                .containsExactly("mkt 12");
        assertThat(firing("media-target")).extracting(alert -> alert.scope().get(0).value() + " " + alert.periodLabel())
                .containsExactlyInAnyOrder("eng 2025-02", "eng 2025-03", "mkt 2025-03");
    }

    @Test
    void outside_fires_on_a_deviation_either_way() {
        // Marketing's March is +60 % (favourable), beyond ±50, as soon as the rule exists.
        List<Alert> fired = alerts.evaluateNow(Optional.of(alerts.create(rule("far-off", "budgetVariancePct", List.of("department"), List.of(COST_ACCOUNTS),
                AlertCondition.value(Comparison.OUTSIDE, "50"))).rule().id()));
        assertThat(fired).isEmpty();
        assertThat(firing("far-off")).extracting(alert -> alert.scope().get(0).value() + " " + alert.observed().toPlainString())
                .containsExactly("mkt 60");
    }

    @Test
    void an_alert_whose_period_leaves_the_window_expires_at_the_next_change() {
        AlertRule marchOnly = new AlertRule("this-month", "This month", Optional.empty(), "budgetVariancePct", List.of("department"), List.of(COST_ACCOUNTS),
                io.finhub.store.TimeGrain.MONTH, AlertWindow.rolling(1, true), AlertCondition.value(Comparison.BELOW, "-10"), AlertSeverity.CRITICAL, true, false);
        alerts.create(marchOnly);
        Collector<Alert> pushed = subscribe("this-month");
        postMarketingMedia(store, "m1", "3800.00");
        Alert fired = single(pushed.drain());

        clock.set(Instant.parse("2025-04-02T08:00:00Z"));
        AlertFixtures.post(store, "apr", "eng", "6200", "2025-04-01", "100.00");
        Alert expired = single(pushed.drain());
        assertThat(expired.id()).isEqualTo(fired.id());
        assertThat(expired.resolved().orElseThrow().resolution()).isEqualTo(Resolution.EXPIRED);
    }

    @Test
    void disabling_a_rule_resolves_its_alerts_and_stops_evaluating_it() {
        alerts.create(costOverBudget("media-overrun"));
        Collector<Alert> pushed = subscribe("media-overrun");
        postMarketingMedia(store, "m1", "3800.00");
        Alert fired = single(pushed.drain());

        assertThat(alerts.setEnabled("media-overrun", false).status()).isEqualTo(AlertRuleStatus.Status.DISABLED);
        Alert resolved = single(pushed.drain());
        assertThat(resolved.id()).isEqualTo(fired.id());
        assertThat(resolved.resolved().orElseThrow().resolution()).isEqualTo(Resolution.RULE_DISABLED);

        postMarketingMedia(store, "m2", "1000.00");
        assertThat(pushed.drain()).isEmpty();

        alerts.setEnabled("media-overrun", true);
        assertThat(single(pushed.drain()).observed()).as("6800: (5000 − 6800) ÷ 5000").isEqualByComparingTo("-36");
    }

    @Test
    void only_rules_that_read_a_changed_table_are_evaluated() {
        alerts.create(costOverBudget("ledger-rule"));
        alerts.create(rule("spend-rule", "spend", List.of("department"), List.of(), AlertCondition.value(Comparison.ABOVE, "1000000")));
        long spendEvaluatedAt = alerts.rule("spend-rule").evaluatedVersion().orElseThrow();

        long version = postMarketingMedia(store, "m1", "10.00");
        assertThat(alerts.rule("ledger-rule").evaluatedVersion()).contains(version);
        assertThat(alerts.rule("spend-rule").evaluatedVersion()).as("fact_spend did not change").contains(spendEvaluatedAt);
    }

    @Test
    void an_updated_threshold_applies_at_once() {
        alerts.create(costOverBudget("media-overrun"));
        Collector<Alert> pushed = subscribe("media-overrun");
        postMarketingMedia(store, "m1", "3800.00");
        Alert fired = single(pushed.drain());

        // −16 % is within a −20 % threshold: the alert resolves without any data change.
        alerts.update("media-overrun", rule -> new AlertRule(rule.id(), rule.name(), rule.description(), rule.measure(), rule.dimensions(), rule.filters(),
                rule.grain(), rule.window(), AlertCondition.value(Comparison.BELOW, "-20"), rule.severity(), rule.enabled(), rule.builtIn()));
        Alert resolved = single(pushed.drain());
        assertThat(resolved.id()).isEqualTo(fired.id());
        assertThat(resolved.resolved().orElseThrow().resolution()).isEqualTo(Resolution.RECOVERED);
    }

    @Test
    void a_changed_severity_or_threshold_fires_the_scopes_still_breached_again_under_the_new_definition() {
        alerts.create(costOverBudget("media-overrun"));
        // Marketing 2000 + 3800 = 5800: (5000 − 5800) ÷ 5000 = −16 %; engineering 8000 + 1000 = 9000: (8000 − 9000) ÷ 8000 = −12.5 %.
        postMarketingMedia(store, "m1", "3800.00");
        AlertFixtures.post(store, "e1", "eng", "6200", "2025-03-20", "1000.00");
        Alert marketing = firingIn("media-overrun", "mkt");
        Alert engineering = firingIn("media-overrun", "eng");
        assertThat(marketing.severity()).isEqualTo(AlertSeverity.WARNING);
        Collector<Alert> pushed = subscribe("media-overrun");
        Collector<Alert> critical = new Collector<>();
        alerts.subscribe(Optional.of(AlertSeverity.CRITICAL), Optional.empty()).subscribe(critical);

        // Below −15, CRITICAL: −12.5 % is within it and recovers; −16 % still breaches, so its WARNING alert ends and a CRITICAL one fires.
        alerts.update("media-overrun", rule -> new AlertRule(rule.id(), rule.name(), rule.description(), rule.measure(), rule.dimensions(), rule.filters(),
                rule.grain(), rule.window(), AlertCondition.value(Comparison.BELOW, "-15"), AlertSeverity.CRITICAL, rule.enabled(), rule.builtIn()));

        List<Alert> changes = pushed.drain();
        assertThat(changes).extracting(alert -> alert.scope().get(0).value() + " " + alert.state() + " " + alert.severity() + " "
                + alert.resolved().map(resolved -> resolved.resolution().name()).orElse("-"))
                .containsExactlyInAnyOrder("eng RESOLVED WARNING RECOVERED", "mkt RESOLVED WARNING RULE_CHANGED", "mkt FIRING CRITICAL -");
        assertThat(changes.get(changes.size() - 1).state()).as("an alert ends before its successor fires").isEqualTo(State.FIRING);
        Alert ended = changes.stream().filter(alert -> alert.id().equals(marketing.id())).findFirst().orElseThrow();
        assertThat(ended.resolved().orElseThrow().observed()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("-16"));
        assertThat(changes).filteredOn(alert -> alert.id().equals(engineering.id())).extracting(Alert::state).containsExactly(State.RESOLVED);

        Alert again = single(critical.drain());
        assertThat(again.id()).isNotEqualTo(marketing.id());
        assertThat(again.state()).isEqualTo(State.FIRING);
        assertThat(again.threshold()).isEqualByComparingTo("-15");
        assertThat(again.observed()).isEqualByComparingTo("-16");
        assertThat(again.message()).isEqualTo("Marketing, 2025-03: budgetVariancePct is -16, below the threshold -15");
        assertThat(firing("media-overrun")).containsExactly(again);

        // Nothing moved: evaluating again changes nothing.
        assertThat(alerts.evaluateNow(Optional.of("media-overrun"))).isEmpty();
    }

    @Test
    void renaming_a_rule_leaves_its_firing_alerts_alone() {
        alerts.create(costOverBudget("media-overrun"));
        postMarketingMedia(store, "m1", "3800.00");
        Alert fired = firingIn("media-overrun", "mkt");
        Collector<Alert> pushed = subscribe("media-overrun");

        alerts.update("media-overrun", rule -> new AlertRule(rule.id(), "Media overrun", Optional.of("renamed"), rule.measure(), rule.dimensions(),
                rule.filters(), rule.grain(), rule.window(), rule.condition(), rule.severity(), rule.enabled(), rule.builtIn()));
        assertThat(pushed.drain()).isEmpty();
        assertThat(firing("media-overrun")).extracting(Alert::id).containsExactly(fired.id());
    }

    private Alert firingIn(String rule, String department) {
        List<Alert> found = firing(rule).stream().filter(alert -> alert.scope().get(0).value().equals(department)).toList();
        assertThat(found).as("alerts of %s firing for %s", rule, department).hasSize(1);
        return found.get(0);
    }

    private List<Alert> firing(String rule) {
        return alerts.alerts(new AlertQuery(Optional.of(State.FIRING), Optional.empty(), Optional.of(rule), Optional.empty(), 100));
    }

    private static Alert single(List<Alert> alerts) {
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }
}
