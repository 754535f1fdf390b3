package io.finhub.alert;

import static io.finhub.alert.AlertHistory.canonical;
import static java.util.Objects.requireNonNull;

import io.finhub.alert.Alert.ScopeValue;
import io.finhub.alert.AlertCondition.Baseline;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.Measure;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.store.FiscalCalendar;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one evaluation saw for one scope: the measure, its baseline, the number compared with the
 * threshold, and whether that breaches it. Missing data (no row, a ratio over zero) never breaches,
 * so an alert resolves when the data it fired on goes away.
 *
 * <p>The numbers are rounded as reports show them (percentages to 4 places), but whether they breach
 * is decided on the unrounded ones: a budget overrun of 10.00004% breaches "below −10" though it
 * shows as −10.
 */
record AlertObservation(String scopeKey, List<ScopeValue> scope, LocalDate period, String periodLabel, Optional<BigDecimal> value,
        Optional<BigDecimal> baseline, Optional<BigDecimal> observed, boolean breached) {
    AlertObservation {
        requireNonNull(scopeKey, "scopeKey is null");
        scope = List.copyOf(requireNonNull(scope, "scope is null"));
        requireNonNull(period, "period is null");
        requireNonNull(periodLabel, "periodLabel is null");
        requireNonNull(value, "value is null");
        requireNonNull(baseline, "baseline is null");
        requireNonNull(observed, "observed is null");
    }

    /**
     * One observation per group of {@code result} inside the watched periods, by scope key. Groups
     * where a dimension of the rule has no value (spend without a campaign) are not scopes.
     * {@code result} has the measures unrounded ({@link io.finhub.catalog.MetricsService#queryUnrounded}).
     */
    static Map<String, AlertObservation> observe(AlertRule rule, MetricsResult result, AlertPeriods periods, FiscalCalendar calendar, Catalog catalog) {
        Map<String, MetricsRow> rows = new HashMap<>();
        for (MetricsRow row : result.rows()) {
            if (row.period() != null && rule.dimensions().stream().allMatch(dimension -> row.dimensions().get(dimension) != null)) {
                rows.put(scopeKey(row.period(), rule.dimensions(), row.dimensions()), row);
            }
        }
        Map<String, AlertObservation> observations = new LinkedHashMap<>();
        rows.forEach((key, row) -> {
            if (periods.contains(row.period())) {
                observations.put(key, observe(rule, row, baselineRow(rule, row, rows, calendar), catalog));
            }
        });
        return observations;
    }

    private static Optional<MetricsRow> baselineRow(AlertRule rule, MetricsRow row, Map<String, MetricsRow> rows, FiscalCalendar calendar) {
        if (rule.condition().baseline() != Baseline.PREVIOUS_PERIOD) {
            return Optional.empty();
        }
        LocalDate previous = AlertPeriods.previous(calendar, rule.grain(), row.period());
        return Optional.ofNullable(rows.get(scopeKey(previous, rule.dimensions(), row.dimensions())));
    }

    private static AlertObservation observe(AlertRule rule, MetricsRow row, Optional<MetricsRow> previous, Catalog catalog) {
        AlertCondition condition = rule.condition();
        Measure measure = catalog.measure(rule.measure());
        Optional<BigDecimal> value = Optional.ofNullable(row.measures().get(rule.measure()));
        Optional<BigDecimal> baseline = switch (condition.baseline()) {
            case NONE -> Optional.empty();
            case TARGET -> condition.targetValue().or(() -> Optional.ofNullable(row.measures().get(condition.targetMeasure().orElseThrow())));
            case PREVIOUS_PERIOD -> previous.map(before -> before.measures().get(rule.measure()));
        };
        Optional<BigDecimal> shownBaseline = switch (condition.baseline()) {
            case NONE -> Optional.empty();
            case TARGET -> condition.targetValue().or(() -> baseline.map(catalog.measure(condition.targetMeasure().orElseThrow())::rounded));
            case PREVIOUS_PERIOD -> baseline.map(measure::rounded);
        };
        boolean breached = condition.baseline() == Baseline.NONE
                ? value.map(condition::breachedBy).orElse(false)
                : value.flatMap(current -> baseline.map(base -> condition.breachedBy(current, base))).orElse(false);
        Optional<BigDecimal> observed = condition.baseline() == Baseline.NONE
                ? value.map(measure::rounded)
                : value.flatMap(current -> baseline.flatMap(base -> Decimals.percent(current.subtract(base), base.abs())));
        List<ScopeValue> scope = new ArrayList<>();
        for (String dimension : rule.dimensions()) {
            scope.add(new ScopeValue(dimension, row.dimensions().get(dimension), Optional.ofNullable(row.labels().get(dimension))));
        }
        return new AlertObservation(scopeKey(row.period(), rule.dimensions(), row.dimensions()), scope, row.period(), row.periodLabel(),
                value.map(measure::rounded), shownBaseline, observed, breached);
    }

    /** {@code 2025-03-01|department=mkt}: the period and the rule's dimension values, URL-encoded so the key is unambiguous. */
    static String scopeKey(LocalDate period, List<String> dimensions, Map<String, String> values) {
        StringBuilder key = new StringBuilder(period.toString());
        for (String dimension : dimensions) {
            key.append('|').append(dimension).append('=').append(URLEncoder.encode(values.get(dimension), StandardCharsets.UTF_8));
        }
        return key.toString();
    }

    /** The sentence a person reads in a notification. */
    String message(AlertRule rule) {
        AlertCondition condition = rule.condition();
        String where = scope.isEmpty()
                ? periodLabel
                : scope.stream().map(value -> value.label().orElse(value.value())).collect(Collectors.joining(", ")) + ", " + periodLabel;
        String threshold = plain(condition.threshold());
        BigDecimal compared = observed.orElseThrow();
        if (condition.baseline() == Baseline.NONE) {
            String limit = condition.comparison() == Comparison.OUTSIDE
                    ? "further from zero than ±" + threshold
                    : direction(condition.comparison()) + " the threshold " + threshold;
            return "%s: %s is %s, %s".formatted(where, rule.measure(), plain(compared), limit);
        }
        String against = condition.baseline() == Baseline.PREVIOUS_PERIOD
                ? "the previous period (%s)".formatted(plain(baseline.orElseThrow()))
                : condition.targetMeasure().map(target -> "its target %s (%s)".formatted(target, plain(baseline.orElseThrow())))
                        .orElse("its target " + plain(baseline.orElseThrow()));
        String limit = condition.comparison() == Comparison.OUTSIDE ? "more than " + threshold + "% either way" : direction(condition.comparison()) + " " + threshold + "%";
        return "%s: %s %s is %s%% %s %s (fires %s)".formatted(where, rule.measure(), value.map(AlertObservation::plain).orElse("?"),
                plain(compared.abs()), compared.signum() < 0 ? "below" : "above", against, limit);
    }

    private static String direction(Comparison comparison) {
        return comparison == Comparison.BELOW ? "below" : "above";
    }

    private static String plain(BigDecimal value) {
        return canonical(value).toPlainString();
    }
}
