package io.finhub.alert;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

/** The alert schema against the real engine (every feature wired) and DuckDB, with the clock on 2025-03-15. */
class AlertGraphqlTest {
    private static final String CREATE = """
            mutation ($input: AlertRuleInput!) {
              createAlertRule(input: $input) {
                id name measure dimensions filters { dimension operator values } grain lookbackPeriods includeOpenPeriod from to
                comparison threshold baseline targetMeasure targetValue severity enabled builtIn status problem
              }
            }""";
    private static Store store;
    private static GraphqlEngine engine;

    @BeforeAll
    static void open() {
        store = AlertFixtures.ledger();
        engine = FinhubServer.graphql(store, Clock.fixed(AlertFixtures.MARCH_15, ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static Map<String, Object> input(String id) {
        return Map.of("id", id, "name", "Actual cost against budget", "measure", "actual", "dimensions", List.of("department"),
                "filters", List.of(Map.of("dimension", "accountType", "values", List.of("EXPENSE", "COGS"))),
                "comparison", "ABOVE", "threshold", 10, "baseline", "TARGET", "targetMeasure", "budget", "severity", "CRITICAL");
    }

    @Test
    void a_rule_is_created_with_the_defaults_filled_in() {
        Map<String, Object> rule = map(data(CREATE, Map.of("input", input("cost-vs-budget"))).get("createAlertRule"));
        assertThat(rule).containsEntry("id", "cost-vs-budget").containsEntry("grain", "MONTH").containsEntry("lookbackPeriods", 3)
                .containsEntry("includeOpenPeriod", true).containsEntry("comparison", "ABOVE").containsEntry("baseline", "TARGET")
                .containsEntry("targetMeasure", "budget").containsEntry("severity", "CRITICAL").containsEntry("enabled", true)
                .containsEntry("builtIn", false).containsEntry("status", "ACTIVE");
        assertThat(rule.get("filters")).isEqualTo(List.of(Map.of("dimension", "accountType", "operator", "IN", "values", List.of("EXPENSE", "COGS"))));
    }

    @Test
    void an_explicit_null_takes_the_schema_default_like_a_left_out_field() {
        // AlertRuleInput: lookbackPeriods = 3, includeOpenPeriod = true, severity = WARNING (schema/graphql/70_alerts.graphqls).
        Map<String, Object> input = new java.util.HashMap<>(input("nulls-are-defaults"));
        input.put("lookbackPeriods", null);
        input.put("includeOpenPeriod", null);
        input.put("severity", null);
        Map<String, Object> rule = map(data(CREATE, Map.of("input", input)).get("createAlertRule"));
        assertThat(rule).containsEntry("lookbackPeriods", 3).containsEntry("includeOpenPeriod", true).containsEntry("severity", "WARNING");

        // alerts(limit: Int = 100) and webhookDeliveries(limit: Int = 100): null is the default, as a literal and as a variable.
        data("{ alerts(limit: null) { id } webhookDeliveries(limit: null) { deliveryId } }", Map.of());
        Map<String, Object> nullLimit = new java.util.HashMap<>();
        nullLimit.put("limit", null);
        data("query($limit: Int) { alerts(limit: $limit) { id } webhookDeliveries(limit: $limit) { deliveryId } }", nullLimit);
    }

    @Test
    void an_invalid_rule_is_an_error_with_a_code_naming_the_problem() {
        Map<String, Object> bad = new java.util.HashMap<>(input("by-segment"));
        bad.put("dimensions", List.of("segment"));
        Map<String, Object> error = onlyError(CREATE, Map.of("input", bad));
        assertThat(map(error.get("extensions"))).containsEntry("code", "DIMENSION_NOT_ALLOWED");
        assertThat((String) error.get("message")).startsWith("dimensions: measure 'actual' cannot be grouped by dimension 'segment'");

        Map<String, Object> precise = new java.util.HashMap<>(input("too-precise"));
        precise.put("threshold", new java.math.BigDecimal("0.00001"));
        assertThat(map(onlyError(CREATE, Map.of("input", precise)).get("extensions"))).containsEntry("code", "INVALID_ALERT_RULE");
    }

    @Test
    void a_patch_changes_only_what_it_names_and_disabling_shows_in_the_status() {
        data(CREATE, Map.of("input", input("patched")));
        Map<String, Object> patched = map(data("""
                mutation { updateAlertRule(id: "patched", patch: {threshold: 25, targetMeasure: null, targetValue: 9000}) {
                  threshold targetMeasure targetValue measure severity } }""", Map.of()).get("updateAlertRule"));
        assertThat(patched).containsEntry("targetMeasure", null).containsEntry("measure", "actual").containsEntry("severity", "CRITICAL");
        assertThat((java.math.BigDecimal) patched.get("threshold")).isEqualByComparingTo("25");
        assertThat((java.math.BigDecimal) patched.get("targetValue")).isEqualByComparingTo("9000");

        Map<String, Object> cleared = onlyError("mutation { updateAlertRule(id: \"patched\", patch: {measure: null}) { id } }", Map.of());
        assertThat((String) cleared.get("message")).isEqualTo("patch.measure cannot be cleared; leave it out to keep it");

        Map<String, Object> disabled = map(data("mutation { disableAlertRule(id: \"patched\") { enabled status } }", Map.of()).get("disableAlertRule"));
        assertThat(disabled).containsEntry("enabled", false).containsEntry("status", "DISABLED");
    }

    @Test
    void on_demand_evaluation_returns_what_fired_and_the_history_lists_it() {
        // Engineering's 8000 against a fixed target of 5000 is +60 %, above 50; marketing's 2000 is −60 %.
        Map<String, Object> input = new java.util.HashMap<>(input("fixed-target"));
        input.remove("targetMeasure");
        input.put("targetValue", 5000);
        input.put("threshold", 50);
        input.put("from", "2025-03-01");
        input.put("to", "2025-03-31");
        data(CREATE, Map.of("input", input));
        List<Map<String, Object>> evaluated = list(data("mutation { evaluateAlertRules(rule: \"fixed-target\") { state } }", Map.of()).get("evaluateAlertRules"));
        Map<String, Object> history = data("""
                { alerts(rule: "fixed-target", state: FIRING, severity: CRITICAL) {
                    rule state severity periodLabel value baselineValue observed threshold message scope { dimension value label } } }""", Map.of());
        // Fired once, by the rule's creation (its evaluation in the background) or, when that had not run yet, by this evaluation.
        assertThat(list(history.get("alerts"))).as("one firing alert").hasSize(1);
        assertThat(evaluated.size()).as("the evaluation fired it or found it fired").isLessThanOrEqualTo(1);
        Map<String, Object> alert = list(history.get("alerts")).get(0);
        assertThat(alert).containsEntry("rule", "fixed-target").containsEntry("state", "FIRING").containsEntry("periodLabel", "2025-03")
                .containsEntry("message", "Engineering, 2025-03: actual 8000 is 60% above its target 5000 (fires above 50%)");
        assertThat((java.math.BigDecimal) alert.get("observed")).isEqualByComparingTo("60");
        assertThat(alert.get("scope")).isEqualTo(List.of(Map.of("dimension", "department", "value", "eng", "label", "Engineering")));
    }

    @Test
    void webhooks_show_their_secret_only_when_created() {
        Map<String, Object> created = map(data("""
                mutation { createAlertWebhook(input: {url: "https://hooks.example.com/finance", severity: CRITICAL}) {
                  secret webhook { id url rule severity enabled createdAt } } }""", Map.of()).get("createAlertWebhook"));
        assertThat((String) created.get("secret")).matches("[0-9a-f]{64}");
        assertThat(map(created.get("webhook"))).containsEntry("url", "https://hooks.example.com/finance").containsEntry("severity", "CRITICAL")
                .containsEntry("rule", null).containsEntry("enabled", true);
        assertThat(list(data("{ alertWebhooks { id url } }", Map.of()).get("alertWebhooks"))).extracting(webhook -> webhook.get("url"))
                .contains("https://hooks.example.com/finance");
    }

    @Test
    void a_subscription_operation_answers_with_a_stream() {
        ExecutionResult result = engine.execute(new GraphqlRequest("subscription { alerts(severity: WARNING) { id state } }", null, null, null));
        assertThat(result.getErrors()).isEmpty();
        assertThat((Object) result.getData()).isInstanceOf(Publisher.class);
    }

    private static Map<String, Object> data(String query, Map<String, Object> variables) {
        ExecutionResult result = engine.execute(new GraphqlRequest(query, null, variables, null));
        assertThat(result.getErrors()).as(query).isEmpty();
        return result.getData();
    }

    private static Map<String, Object> onlyError(String query, Map<String, Object> variables) {
        Map<String, Object> response = GraphqlEngine.specification(engine.execute(new GraphqlRequest(query, null, variables, null)));
        List<Map<String, Object>> errors = list(response.get("errors"));
        assertThat(errors).hasSize(1);
        return errors.get(0);
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
