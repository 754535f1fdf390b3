package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.alert.AlertCondition.Baseline;
import io.finhub.alert.AlertCondition.Comparison;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One breach of one rule's scope: raised ({@link State#FIRING}) when the scope crossed the
 * threshold, {@link State#RESOLVED} when it came back (or its period left the window, or the rule
 * was disabled or changed under it). The same record is stored, pushed to subscribers and POSTed
 * to webhooks, once when it fires and once when it resolves; an alert keeps the severity and
 * threshold it fired with, so a changed rule resolves it and fires a new one for a scope still breached.
 *
 * @param scopeKey canonical key of the scope (period and dimension values): at most one alert per rule and key fires at a time
 * @param value the measure's value when the alert fired
 * @param baselineValue the target or previous period's value it was compared with
 * @param observed the number compared with the threshold: the value, or the % deviation from the baseline
 */
public record Alert(String id, String ruleId, String ruleName, AlertSeverity severity, State state, String measure, String scopeKey,
        List<ScopeValue> scope, LocalDate period, String periodLabel, Comparison comparison, Baseline baseline, BigDecimal threshold,
        Optional<BigDecimal> value, Optional<BigDecimal> baselineValue, BigDecimal observed, String message, Instant firedAt, long firedVersion,
        Optional<Resolved> resolved) {
    public Alert {
        requireNonNull(id, "id is null");
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(ruleName, "ruleName is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(state, "state is null");
        requireNonNull(measure, "measure is null");
        requireNonNull(scopeKey, "scopeKey is null");
        scope = List.copyOf(requireNonNull(scope, "scope is null"));
        requireNonNull(period, "period is null");
        requireNonNull(periodLabel, "periodLabel is null");
        requireNonNull(comparison, "comparison is null");
        requireNonNull(baseline, "baseline is null");
        requireNonNull(threshold, "threshold is null");
        requireNonNull(value, "value is null");
        requireNonNull(baselineValue, "baselineValue is null");
        requireNonNull(observed, "observed is null");
        requireNonNull(message, "message is null");
        requireNonNull(firedAt, "firedAt is null");
        requireNonNull(resolved, "resolved is null");
        if ((state == State.RESOLVED) != resolved.isPresent()) {
            throw new IllegalArgumentException("a resolved alert, and only a resolved one, has its resolution");
        }
    }

    /** When the alert last changed: when it resolved, or else when it fired. */
    public Instant changedAt() {
        return resolved.map(Resolved::at).orElse(firedAt);
    }

    public Alert resolve(Resolved resolution) {
        return new Alert(id, ruleId, ruleName, severity, State.RESOLVED, measure, scopeKey, scope, period, periodLabel, comparison, baseline, threshold,
                value, baselineValue, observed, message, firedAt, firedVersion, Optional.of(resolution));
    }

    public enum State {
        FIRING,
        RESOLVED
    }

    public enum Resolution {
        /** The scope came back within the threshold. */
        RECOVERED,
        /** The scope's period left the rule's rolling window, so it is no longer watched. */
        EXPIRED,
        /** The rule was disabled. */
        RULE_DISABLED,
        /**
         * The rule's definition changed (severity, measure, comparison, baseline, threshold or
         * dimensions) while the scope was firing: the scope is still breached under the new
         * definition, and a new alert carrying it fires in the same evaluation; or the rule no longer
         * has the scope.
         */
        RULE_CHANGED
    }

    /**
     * How an alert ended.
     *
     * @param value the measure's value at that evaluation (empty when the scope had no data)
     * @param observed the compared number at that evaluation (empty when it could not be computed)
     */
    public record Resolved(Instant at, long version, Resolution resolution, Optional<BigDecimal> value, Optional<BigDecimal> observed) {
        public Resolved {
            requireNonNull(at, "at is null");
            requireNonNull(resolution, "resolution is null");
            requireNonNull(value, "value is null");
            requireNonNull(observed, "observed is null");
        }
    }

    /** One dimension of an alert's scope: its key and the label a person reads. */
    public record ScopeValue(String dimension, String value, Optional<String> label) {
        public ScopeValue {
            requireNonNull(dimension, "dimension is null");
            requireNonNull(value, "value is null");
            requireNonNull(label, "label is null");
        }
    }
}
