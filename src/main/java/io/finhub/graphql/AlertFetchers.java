package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.enumValue;
import static io.finhub.graphql.GraphqlArguments.strings;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.alert.Alert;
import io.finhub.alert.AlertCondition;
import io.finhub.alert.AlertCondition.Baseline;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.alert.AlertQuery;
import io.finhub.alert.AlertRule;
import io.finhub.alert.AlertRuleStatus;
import io.finhub.alert.AlertService;
import io.finhub.alert.AlertSeverity;
import io.finhub.alert.AlertWebhook;
import io.finhub.alert.AlertWindow;
import io.finhub.alert.FinhubEvent;
import io.finhub.alert.FinhubEvents;
import io.finhub.alert.WebhookDelivery;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.security.Caller;
import io.finhub.security.DepartmentAccess;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.reactivestreams.Publisher;

/** Alert rules, alerts, webhooks and the subscriptions: parse, call {@link AlertService}, return. */
public final class AlertFetchers implements GraphqlModule {
    private final AlertService alerts;

    public AlertFetchers(AlertService alerts) {
        this.alerts = requireNonNull(alerts, "alerts is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("alertRules", environment -> alerts.rules())
                .dataFetcher("alertRule", environment -> alerts.rule(environment.getArgument("id")))
                .dataFetcher("alerts", environment -> visibleAlerts(query(environment)))
                .dataFetcher("alertWebhooks", environment -> alerts.webhooks())
                .dataFetcher("webhookDeliveries", environment -> alerts.deliveries(Optional.ofNullable(environment.getArgument("webhook")),
                        Optional.ofNullable(environment.getArgument("alert")), environment.<Integer>getArgument("limit"))));
        wiring.type("Mutation", type -> type
                .dataFetcher("createAlertRule", environment -> alerts.create(rule(environment.getArgument("input"))))
                .dataFetcher("updateAlertRule", environment -> alerts.update(environment.getArgument("id"),
                        existing -> patched(existing, environment.getArgument("patch"))))
                .dataFetcher("disableAlertRule", environment -> alerts.setEnabled(environment.getArgument("id"), false))
                .dataFetcher("enableAlertRule", environment -> alerts.setEnabled(environment.getArgument("id"), true))
                .dataFetcher("evaluateAlertRules", environment -> alerts.evaluateNow(Optional.ofNullable(environment.getArgument("rule"))))
                .dataFetcher("createAlertWebhook", this::createWebhook)
                .dataFetcher("disableAlertWebhook", environment -> alerts.setWebhookEnabled(environment.getArgument("id"), false))
                .dataFetcher("enableAlertWebhook", environment -> alerts.setWebhookEnabled(environment.getArgument("id"), true)));
        wiring.type("Subscription", type -> type
                .dataFetcher("alerts", subscribeAlerts())
                .dataFetcher("attributionUpdates", environment -> alerts.events().subscribe(Set.of(FinhubEvents.ATTRIBUTION_UPDATE)))
                .dataFetcher("valueRealizationEvents", environment -> alerts.events().subscribe(Set.of(FinhubEvents.VALUE_REALIZATION)))
                .dataFetcher("forecastAdjustments", environment -> alerts.events().subscribe(Set.of(FinhubEvents.FORECAST_ADJUSTMENT)))
                .dataFetcher("events", environment -> alerts.events().subscribe(new HashSet<>(strings(environment.getArgument("topics"))))));
        wireRule(wiring);
        wireAlert(wiring);
        wiring.type("AlertWebhook", type -> type
                .dataFetcher("url", environment -> this.<AlertWebhook>source(environment).url().toString())
                .dataFetcher("rule", environment -> this.<AlertWebhook>source(environment).rule().orElse(null))
                .dataFetcher("severity", environment -> this.<AlertWebhook>source(environment).minimumSeverity().map(Enum::name).orElse(null))
                .dataFetcher("createdAt", environment -> dateTime(this.<AlertWebhook>source(environment).createdAt())));
        wiring.type("WebhookDelivery", type -> type
                .dataFetcher("webhook", environment -> this.<WebhookDelivery>source(environment).webhookId())
                .dataFetcher("alert", environment -> this.<WebhookDelivery>source(environment).alertId())
                .dataFetcher("attemptedAt", environment -> dateTime(this.<WebhookDelivery>source(environment).attemptedAt()))
                .dataFetcher("statusCode", environment -> this.<WebhookDelivery>source(environment).statusCode().orElse(null))
                .dataFetcher("outcome", environment -> this.<WebhookDelivery>source(environment).outcome().name())
                .dataFetcher("error", environment -> this.<WebhookDelivery>source(environment).error().orElse(null)));
        wiring.type("FinhubEvent", type -> type
                .dataFetcher("at", environment -> dateTime(this.<FinhubEvent>source(environment).at())));
    }

    private void wireRule(RuntimeWiring.Builder wiring) {
        Map<String, Function<AlertRuleStatus, Object>> fields = Map.ofEntries(
                Map.entry("id", status -> status.rule().id()),
                Map.entry("name", status -> status.rule().name()),
                Map.entry("description", status -> status.rule().description().orElse(null)),
                Map.entry("measure", status -> status.rule().measure()),
                Map.entry("dimensions", status -> status.rule().dimensions()),
                Map.entry("filters", status -> status.rule().filters().stream()
                        .map(filter -> Map.of("dimension", filter.dimension(), "operator", filter.operator().name(), "values", filter.values())).toList()),
                Map.entry("grain", status -> status.rule().grain().name()),
                Map.entry("lookbackPeriods", status -> status.rule().window().lookbackPeriods()),
                Map.entry("includeOpenPeriod", status -> status.rule().window().includeOpenPeriod()),
                Map.entry("from", status -> status.rule().window().from().orElse(null)),
                Map.entry("to", status -> status.rule().window().to().orElse(null)),
                Map.entry("comparison", status -> status.rule().condition().comparison().name()),
                Map.entry("threshold", status -> status.rule().condition().threshold()),
                Map.entry("baseline", status -> status.rule().condition().baseline().name()),
                Map.entry("targetMeasure", status -> status.rule().condition().targetMeasure().orElse(null)),
                Map.entry("targetValue", status -> status.rule().condition().targetValue().orElse(null)),
                Map.entry("severity", status -> status.rule().severity().name()),
                Map.entry("enabled", status -> status.rule().enabled()),
                Map.entry("builtIn", status -> status.rule().builtIn()),
                Map.entry("status", status -> status.status().name()),
                Map.entry("problem", status -> status.problem().orElse(null)),
                Map.entry("lastEvaluatedAt", status -> status.evaluatedAt().map(AlertFetchers::dateTime).orElse(null)),
                Map.entry("lastEvaluatedVersion", status -> status.evaluatedVersion().orElse(null)));
        wiring.type("AlertRule", type -> {
            fields.forEach((field, read) -> type.dataFetcher(field, environment -> read.apply(environment.getSource())));
            return type;
        });
    }

    private void wireAlert(RuntimeWiring.Builder wiring) {
        Map<String, Function<Alert, Object>> fields = Map.ofEntries(
                Map.entry("rule", Alert::ruleId),
                Map.entry("severity", alert -> alert.severity().name()),
                Map.entry("state", alert -> alert.state().name()),
                Map.entry("scope", alert -> alert.scope().stream()
                        .map(value -> {
                            Map<String, Object> shaped = new HashMap<>();
                            shaped.put("dimension", value.dimension());
                            shaped.put("value", value.value());
                            shaped.put("label", value.label().orElse(null));
                            return shaped;
                        }).toList()),
                Map.entry("comparison", alert -> alert.comparison().name()),
                Map.entry("baseline", alert -> alert.baseline().name()),
                Map.entry("value", alert -> alert.value().orElse(null)),
                Map.entry("baselineValue", alert -> alert.baselineValue().orElse(null)),
                Map.entry("firedAt", alert -> dateTime(alert.firedAt())),
                Map.entry("firedAtVersion", Alert::firedVersion),
                Map.entry("resolvedAt", alert -> alert.resolved().map(resolved -> dateTime(resolved.at())).orElse(null)),
                Map.entry("resolvedAtVersion", alert -> alert.resolved().map(Alert.Resolved::version).orElse(null)),
                Map.entry("resolution", alert -> alert.resolved().map(resolved -> resolved.resolution().name()).orElse(null)),
                Map.entry("resolvedValue", alert -> alert.resolved().flatMap(Alert.Resolved::value).orElse(null)),
                Map.entry("resolvedObserved", alert -> alert.resolved().flatMap(Alert.Resolved::observed).orElse(null)));
        wiring.type("Alert", type -> {
            fields.forEach((field, read) -> type.dataFetcher(field, environment -> read.apply(environment.getSource())));
            return type;
        });
    }

    private DataFetcher<Publisher<Alert>> subscribeAlerts() {
        return environment -> {
            DepartmentAccess departments = Caller.current().departments();
            return alerts.subscribe(Optional.ofNullable(environment.getArgument("severity"))
                    .map(value -> enumValue(AlertSeverity.class, value, "alert severity")), Optional.ofNullable(environment.getArgument("rule")),
                    alert -> !departments.restricted() || visible(alert, departments, alerts.campaignDepartments()));
        };
    }

    /** The alerts the caller may see: all, or for a department-scoped caller those of its departments, still at most {@code limit}. */
    private List<Alert> visibleAlerts(AlertQuery query) {
        DepartmentAccess departments = Caller.current().departments();
        if (!departments.restricted()) {
            return alerts.alerts(query);
        }
        AlertQuery widest = new AlertQuery(query.state(), query.since(), query.rule(), query.minimumSeverity(), AlertQuery.MAX_LIMIT);
        Map<String, String> campaignDepartments = alerts.campaignDepartments();
        return alerts.alerts(widest).stream().filter(alert -> visible(alert, departments, campaignDepartments)).limit(query.limit()).toList();
    }

    /**
     * An alert is about department rows unless proven otherwise, so a department-scoped caller sees
     * only alerts whose scope names one of its departments, or, without a department in the scope,
     * a campaign one of its departments runs (a campaign's ROI is the campaign's own spend and credits,
     * which the caller's reports show too).
     */
    static boolean visible(Alert alert, DepartmentAccess departments, Map<String, String> campaignDepartments) {
        if (!departments.restricted()) {
            return true;
        }
        boolean hasDepartment = alert.scope().stream().anyMatch(value -> value.dimension().equals("department"));
        if (hasDepartment) {
            return alert.scope().stream().anyMatch(value -> value.dimension().equals("department") && departments.permits(value.value()));
        }
        return alert.scope().stream().anyMatch(value -> value.dimension().equals("campaign") && value.value() != null
                && campaignDepartments.containsKey(value.value()) && departments.permits(campaignDepartments.get(value.value())));
    }

    private static AlertQuery query(DataFetchingEnvironment environment) {
        return new AlertQuery(Optional.ofNullable(environment.getArgument("state")).map(value -> enumValue(Alert.State.class, value, "alert state")),
                Optional.ofNullable(environment.<OffsetDateTime>getArgument("since")).map(OffsetDateTime::toInstant),
                Optional.ofNullable(environment.getArgument("rule")),
                Optional.ofNullable(environment.getArgument("severity")).map(value -> enumValue(AlertSeverity.class, value, "alert severity")),
                environment.<Integer>getArgument("limit"));
    }

    private AlertWebhook.Created createWebhook(DataFetchingEnvironment environment) {
        Map<String, Object> input = environment.getArgument("input");
        return alerts.createWebhook((String) input.get("url"), Optional.ofNullable((String) input.get("rule")),
                Optional.ofNullable(input.get("severity")).map(value -> enumValue(AlertSeverity.class, value, "alert severity")),
                Optional.ofNullable((String) input.get("secret")));
    }

    static AlertRule rule(Map<String, Object> input) {
        AlertWindow window = new AlertWindow((Integer) input.get("lookbackPeriods"), (Boolean) input.get("includeOpenPeriod"),
                Optional.ofNullable((LocalDate) input.get("from")), Optional.ofNullable((LocalDate) input.get("to")));
        AlertCondition condition = new AlertCondition(enumValue(Comparison.class, input.get("comparison"), "comparison"), (BigDecimal) input.get("threshold"),
                enumValue(Baseline.class, input.get("baseline"), "baseline"), Optional.ofNullable((String) input.get("targetMeasure")),
                Optional.ofNullable((BigDecimal) input.get("targetValue")));
        return new AlertRule((String) input.get("id"), (String) input.get("name"), Optional.ofNullable((String) input.get("description")),
                (String) input.get("measure"), strings(input.get("dimensions")), CatalogFetchers.filters(input.get("filters")),
                enumValue(TimeGrain.class, input.get("grain"), "time grain"), window, condition,
                enumValue(AlertSeverity.class, input.get("severity"), "alert severity"), (Boolean) input.get("enabled"), false);
    }

    /** {@code existing} with the fields present in {@code patch}; a present null clears an optional field. */
    static AlertRule patched(AlertRule existing, Map<String, Object> patch) {
        AlertWindow window = existing.window();
        AlertCondition condition = existing.condition();
        AlertWindow newWindow = new AlertWindow(required(patch, "lookbackPeriods", window.lookbackPeriods()),
                required(patch, "includeOpenPeriod", window.includeOpenPeriod()), optional(patch, "from", window.from()), optional(patch, "to", window.to()));
        AlertCondition newCondition = new AlertCondition(
                enumValue(Comparison.class, required(patch, "comparison", condition.comparison().name()), "comparison"),
                required(patch, "threshold", condition.threshold()),
                enumValue(Baseline.class, required(patch, "baseline", condition.baseline().name()), "baseline"),
                optional(patch, "targetMeasure", condition.targetMeasure()), optional(patch, "targetValue", condition.targetValue()));
        return new AlertRule(existing.id(), required(patch, "name", existing.name()), optional(patch, "description", existing.description()),
                required(patch, "measure", existing.measure()), patch.containsKey("dimensions") ? strings(patch.get("dimensions")) : existing.dimensions(),
                patch.containsKey("filters") ? CatalogFetchers.filters(patch.get("filters")) : existing.filters(),
                enumValue(TimeGrain.class, required(patch, "grain", existing.grain().name()), "time grain"), newWindow, newCondition,
                enumValue(AlertSeverity.class, required(patch, "severity", existing.severity().name()), "alert severity"), existing.enabled(),
                existing.builtIn());
    }

    @SuppressWarnings("unchecked")
    private static <T> T required(Map<String, Object> patch, String field, T current) {
        if (!patch.containsKey(field)) {
            return current;
        }
        Object value = patch.get(field);
        if (value == null) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "patch.%s cannot be cleared; leave it out to keep it".formatted(field));
        }
        return (T) value;
    }

    @SuppressWarnings("unchecked")
    private static <T> Optional<T> optional(Map<String, Object> patch, String field, Optional<T> current) {
        return patch.containsKey(field) ? Optional.ofNullable((T) patch.get(field)) : current;
    }

    private <T> T source(DataFetchingEnvironment environment) {
        return environment.getSource();
    }

    private static OffsetDateTime dateTime(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
