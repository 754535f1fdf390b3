package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.alert.AlertCondition.Baseline;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The rules, stored in {@code alert_rule} and held in memory for the evaluator; every change writes through. */
final class AlertRules {
    private final Store store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, AlertRule> rules = new ConcurrentHashMap<>();

    AlertRules(Store store, ObjectMapper json, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
        load();
    }

    private void load() {
        store.jdbi().useHandle(handle -> handle.createQuery("SELECT rule_id, definition, enabled, built_in FROM alert_rule")
                .map((row, context) -> toRule(row.getString("rule_id"), read(row.getString("definition")), row.getBoolean("enabled"), row.getBoolean("built_in")))
                .forEach(rule -> rules.put(rule.id(), rule)));
    }

    /** Adds each default rule that was never installed; a default a user changed or disabled stays as the user left it. */
    synchronized void installDefaults(List<AlertRule> defaults) {
        for (AlertRule rule : defaults) {
            if (!rules.containsKey(rule.id())) {
                insert(rule.withBuiltIn(true));
            }
        }
    }

    List<AlertRule> all() {
        return rules.values().stream().sorted(Comparator.comparing(AlertRule::id)).toList();
    }

    Optional<AlertRule> find(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    AlertRule require(String id) {
        return find(id).orElseThrow(() -> new FinhubException(ErrorCode.NOT_FOUND, "no alert rule '%s'; rules: %s"
                .formatted(id, String.join(", ", all().stream().map(AlertRule::id).toList()))));
    }

    synchronized void insert(AlertRule rule) {
        if (rules.containsKey(rule.id())) {
            throw new FinhubException(ErrorCode.ALREADY_EXISTS, "an alert rule '%s' exists already; update it instead".formatted(rule.id()));
        }
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        store.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO alert_rule VALUES (:id, :definition, :enabled, :builtIn, :now, :now)")
                .bind("id", rule.id())
                .bind("definition", write(rule))
                .bind("enabled", rule.enabled())
                .bind("builtIn", rule.builtIn())
                .bind("now", now)
                .execute());
        rules.put(rule.id(), rule);
    }

    synchronized void update(AlertRule rule) {
        require(rule.id());
        store.jdbi().useHandle(handle -> handle.createUpdate(
                        "UPDATE alert_rule SET definition = :definition, enabled = :enabled, updated_at = :now WHERE rule_id = :id")
                .bind("id", rule.id())
                .bind("definition", write(rule))
                .bind("enabled", rule.enabled())
                .bind("now", LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .execute());
        rules.put(rule.id(), rule);
    }

    private String write(AlertRule rule) {
        AlertCondition condition = rule.condition();
        AlertWindow window = rule.window();
        List<StoredFilter> filters = rule.filters().stream().map(filter -> new StoredFilter(filter.dimension(), filter.operator(), filter.values())).toList();
        return AlertJson.write(json, new StoredDefinition(rule.name(), rule.description().orElse(null), rule.measure(), rule.dimensions(), filters,
                rule.grain(), window.lookbackPeriods(), window.includeOpenPeriod(), window.from().orElse(null), window.to().orElse(null),
                condition.comparison(), condition.threshold(), condition.baseline(), condition.targetMeasure().orElse(null),
                condition.targetValue().orElse(null), rule.severity()));
    }

    private StoredDefinition read(String definition) {
        return AlertJson.read(json, definition, StoredDefinition.class);
    }

    private static AlertRule toRule(String id, StoredDefinition stored, boolean enabled, boolean builtIn) {
        List<Filter> filters = stored.filters().stream().map(filter -> new Filter(filter.dimension(), filter.operator(), filter.values())).toList();
        AlertWindow window = new AlertWindow(stored.lookbackPeriods(), stored.includeOpenPeriod(), Optional.ofNullable(stored.from()),
                Optional.ofNullable(stored.to()));
        AlertCondition condition = new AlertCondition(stored.comparison(), stored.threshold(), stored.baseline(), Optional.ofNullable(stored.targetMeasure()),
                Optional.ofNullable(stored.targetValue()));
        return new AlertRule(id, stored.name(), Optional.ofNullable(stored.description()), stored.measure(), stored.dimensions(), filters, stored.grain(),
                window, condition, stored.severity(), enabled, builtIn);
    }

    /** The JSON document in {@code alert_rule.definition}. */
    record StoredDefinition(String name, String description, String measure, List<String> dimensions, List<StoredFilter> filters, TimeGrain grain,
            int lookbackPeriods, boolean includeOpenPeriod, LocalDate from, LocalDate to, Comparison comparison, BigDecimal threshold, Baseline baseline,
            String targetMeasure, BigDecimal targetValue, AlertSeverity severity) {}

    record StoredFilter(String dimension, Operator operator, List<String> values) {}
}
