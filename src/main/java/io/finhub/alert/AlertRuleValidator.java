package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.alert.AlertCondition.Baseline;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.Measure;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a rule against the catalog before it is stored, and again before each evaluation (the
 * catalog may lack a measure a rule names). Each problem is a {@link FinhubException} whose message
 * names the field and the offending value.
 */
final class AlertRuleValidator {
    static final int MAX_THRESHOLD_SCALE = 4;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final BigDecimal MAX_ABS_THRESHOLD = new BigDecimal("1000000000000");
    private static final BigDecimal MAX_ABS_PERCENT = new BigDecimal("100000");
    private static final int MAX_DIMENSIONS = 5;

    private final Catalog catalog;

    AlertRuleValidator(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /**
     * Rejects an invalid rule. A measure in {@code tolerated} may be missing from the catalog: a
     * rule that already named it (a default rule waiting for the ROI measures) stays editable.
     */
    void validate(AlertRule rule, Set<String> tolerated) {
        validateShape(rule);
        List<Measure> measures = new ArrayList<>();
        for (String name : rule.measures()) {
            if (tolerated.contains(name) && !known(name)) {
                return;
            }
            measures.add(measure(name, name.equals(rule.measure()) ? "measure" : "targetMeasure"));
        }
        validateDimensions(rule, measures);
    }

    /** Why the rule cannot be evaluated against the catalog as it is now, if it cannot. */
    Optional<FinhubException> problem(AlertRule rule) {
        try {
            validate(rule, Set.of());
            return Optional.empty();
        }
        catch (FinhubException e) {
            return Optional.of(e);
        }
    }

    private boolean known(String measure) {
        return catalog.measures().stream().anyMatch(candidate -> candidate.name().equals(measure));
    }

    private Measure measure(String name, String field) {
        try {
            return catalog.measure(name);
        }
        catch (FinhubException e) {
            throw new FinhubException(e.code(), field + ": " + e.getMessage()
                    + ". A rule may keep naming a measure a feature has not registered yet, but cannot be created with one.");
        }
    }

    private static void validateShape(AlertRule rule) {
        if (!ID.matcher(rule.id()).matches()) {
            throw invalid("id '%s' must be 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit".formatted(rule.id()));
        }
        if (rule.name().isBlank() || rule.name().length() > 200) {
            throw invalid("name must be 1 to 200 characters");
        }
        validateWindow(rule.window());
        validateCondition(rule.condition());
    }

    private static void validateWindow(AlertWindow window) {
        if (window.to().isPresent() && window.from().isEmpty()) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "window: a fixed window needs 'from' (and may have 'to')");
        }
        if (window.isFixed() && window.to().isPresent() && window.from().get().isAfter(window.to().get())) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "window: 'from' (%s) is after 'to' (%s)".formatted(window.from().get(), window.to().get()));
        }
        if (window.lookbackPeriods() < 1 || window.lookbackPeriods() > AlertWindow.MAX_LOOKBACK) {
            throw invalid("lookbackPeriods must be between 1 and %d, was %d".formatted(AlertWindow.MAX_LOOKBACK, window.lookbackPeriods()));
        }
    }

    private static void validateCondition(AlertCondition condition) {
        BigDecimal threshold = condition.threshold();
        if (threshold.stripTrailingZeros().scale() > MAX_THRESHOLD_SCALE) {
            throw invalid("threshold %s has more than %d decimal places".formatted(threshold.toPlainString(), MAX_THRESHOLD_SCALE));
        }
        if (condition.comparison() == Comparison.OUTSIDE && threshold.signum() < 0) {
            throw invalid("threshold %s must not be negative for OUTSIDE, which compares the distance from zero".formatted(threshold.toPlainString()));
        }
        boolean percent = condition.baseline() != Baseline.NONE;
        BigDecimal limit = percent ? MAX_ABS_PERCENT : MAX_ABS_THRESHOLD;
        if (threshold.abs().compareTo(limit) > 0) {
            throw invalid("threshold %s is out of range: at most %s either way%s".formatted(threshold.toPlainString(), limit.toPlainString(),
                    percent ? " (percent deviation from the baseline)" : ""));
        }
        switch (condition.baseline()) {
            case NONE, PREVIOUS_PERIOD -> {
                if (condition.targetMeasure().isPresent() || condition.targetValue().isPresent()) {
                    throw invalid("targetMeasure and targetValue apply only to baseline TARGET, not " + condition.baseline());
                }
            }
            case TARGET -> validateTarget(condition);
        }
    }

    private static void validateTarget(AlertCondition condition) {
        if (condition.targetMeasure().isPresent() == condition.targetValue().isPresent()) {
            throw invalid("baseline TARGET needs exactly one of targetMeasure (a measure such as budget) and targetValue (a fixed number)");
        }
        if (condition.targetValue().filter(value -> value.signum() == 0).isPresent()) {
            throw invalid("targetValue must not be zero: the deviation from it is a percentage of it");
        }
    }

    private void validateDimensions(AlertRule rule, List<Measure> measures) {
        if (rule.dimensions().size() > MAX_DIMENSIONS) {
            throw invalid("at most %d dimensions per rule, got %d".formatted(MAX_DIMENSIONS, rule.dimensions().size()));
        }
        if (new HashSet<>(rule.dimensions()).size() != rule.dimensions().size()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "dimensions: a dimension is listed twice: " + rule.dimensions());
        }
        for (String dimension : rule.dimensions()) {
            requireAllowed(dimension, measures, "dimensions", "grouped");
        }
        for (Filter filter : rule.filters()) {
            requireAllowed(filter.dimension(), measures, "filters", "filtered");
            validateFilterValues(filter);
        }
    }

    private void requireAllowed(String dimension, List<Measure> measures, String field, String verb) {
        try {
            catalog.dimension(dimension);
        }
        catch (FinhubException e) {
            throw new FinhubException(e.code(), field + ": " + e.getMessage());
        }
        for (Measure measure : measures) {
            List<String> allowed = catalog.allowedDimensions(measure);
            if (!allowed.contains(dimension)) {
                throw new FinhubException(ErrorCode.DIMENSION_NOT_ALLOWED, "%s: measure '%s' cannot be %s by dimension '%s'; its dimensions are: %s"
                        .formatted(field, measure.name(), verb, dimension, String.join(", ", allowed)));
            }
        }
    }

    private static void validateFilterValues(Filter filter) {
        if (filter.values().isEmpty()) {
            throw new FinhubException(ErrorCode.INVALID_FILTER, "filters: the filter on '%s' has no values".formatted(filter.dimension()));
        }
        boolean single = filter.operator() == Operator.EQ || filter.operator() == Operator.NE;
        if (single && filter.values().size() != 1) {
            throw new FinhubException(ErrorCode.INVALID_FILTER, "filters: the %s filter on '%s' takes exactly one value, got %d"
                    .formatted(filter.operator(), filter.dimension(), filter.values().size()));
        }
    }

    private static FinhubException invalid(String message) {
        return new FinhubException(ErrorCode.INVALID_ALERT_RULE, message);
    }

    static Set<String> measuresOf(Optional<AlertRule> rule) {
        return rule.map(existing -> Set.copyOf(existing.measures())).orElse(Set.of());
    }
}
