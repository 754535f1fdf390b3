package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.store.TimeGrain;
import java.util.List;
import java.util.Optional;

/**
 * A catalog request plus a condition: "{@code measure} by {@code dimensions}, restricted by
 * {@code filters}, per {@code grain} period over {@code window}, breached when {@code condition}".
 * Every group of the answer (one combination of dimension values in one period) is a scope that
 * fires and resolves on its own. The measure is named, not resolved, so a rule can wait for a
 * measure a feature has not registered yet.
 *
 * @param builtIn one of the default rules of the design documents
 */
public record AlertRule(String id, String name, Optional<String> description, String measure, List<String> dimensions, List<Filter> filters,
        TimeGrain grain, AlertWindow window, AlertCondition condition, AlertSeverity severity, boolean enabled, boolean builtIn) {
    public AlertRule {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(measure, "measure is null");
        dimensions = List.copyOf(requireNonNull(dimensions, "dimensions is null"));
        filters = List.copyOf(requireNonNull(filters, "filters is null"));
        requireNonNull(grain, "grain is null");
        requireNonNull(window, "window is null");
        requireNonNull(condition, "condition is null");
        requireNonNull(severity, "severity is null");
    }

    /** The measures the rule's request asks for: its own and, if any, its target measure. */
    public List<String> measures() {
        return condition.targetMeasure().map(target -> List.of(measure, target)).orElse(List.of(measure));
    }

    public AlertRule withEnabled(boolean newEnabled) {
        return new AlertRule(id, name, description, measure, dimensions, filters, grain, window, condition, severity, newEnabled, builtIn);
    }

    public AlertRule withBuiltIn(boolean newBuiltIn) {
        return new AlertRule(id, name, description, measure, dimensions, filters, grain, window, condition, severity, enabled, newBuiltIn);
    }
}
