package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.alert.Alert.Resolution;
import io.finhub.alert.Alert.Resolved;
import io.finhub.alert.Alert.ScopeValue;
import io.finhub.alert.Alert.State;
import io.finhub.alert.AlertCondition.Baseline;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.support.ClasspathResources;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The {@code alert} table: every alert that fired, and how it resolved. The evaluator is its only
 * writer, one rule at a time, so "at most one FIRING alert per rule and scope" holds without locks.
 * The firing alerts of each rule are also kept in memory (read from the table the first time a rule
 * asks), so an evaluation reads nothing back but its own catalog request.
 */
final class AlertHistory {
    private static final String INSERT = ClasspathResources.read("io/finhub/alert/alert_insert.sql");
    private static final String RESOLVE = ClasspathResources.read("io/finhub/alert/alert_resolve.sql");
    private static final String SELECT = ClasspathResources.read("io/finhub/alert/alert_select.sql");

    private final Store store;
    private final ObjectMapper json;
    private final Map<String, Map<String, Alert>> firingByRule = new ConcurrentHashMap<>();

    AlertHistory(Store store, ObjectMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** The rule's alerts that are firing now, by scope key. */
    Map<String, Alert> firing(String ruleId) {
        return firingByRule.computeIfAbsent(ruleId, this::readFiring);
    }

    private Map<String, Alert> readFiring(String ruleId) {
        Map<String, Alert> firing = new LinkedHashMap<>();
        store.jdbi().useHandle(handle -> handle.createQuery(SELECT + " WHERE rule_id = :rule AND state = 'FIRING'")
                .bind("rule", ruleId)
                .map((row, context) -> toAlert(row))
                .forEach(alert -> firing.put(alert.scopeKey(), alert)));
        return Collections.unmodifiableMap(firing);
    }

    /** Stores what one evaluation of one rule changed, in one transaction. */
    void record(String ruleId, List<Alert> fired, List<Alert> resolved) {
        if (fired.isEmpty() && resolved.isEmpty()) {
            return;
        }
        Map<String, Alert> firing = new LinkedHashMap<>(firing(ruleId));
        try {
            store.jdbi().useTransaction(handle -> {
                fired.forEach(alert -> insert(handle, alert));
                resolved.forEach(alert -> resolve(handle, alert));
            });
        }
        catch (RuntimeException e) {
            firingByRule.remove(ruleId);
            throw e;
        }
        resolved.forEach(alert -> firing.remove(alert.scopeKey()));
        fired.forEach(alert -> firing.put(alert.scopeKey(), alert));
        firingByRule.put(ruleId, Collections.unmodifiableMap(firing));
    }

    private void insert(Handle handle, Alert alert) {
        handle.createUpdate(INSERT)
                .bind("id", alert.id())
                .bind("ruleId", alert.ruleId())
                .bind("ruleName", alert.ruleName())
                .bind("scopeKey", alert.scopeKey())
                .bind("scope", AlertJson.write(json, alert.scope().stream().map(value -> new StoredScope(value.dimension(), value.value(),
                        value.label().orElse(null))).toList()))
                .bind("period", alert.period())
                .bind("periodLabel", alert.periodLabel())
                .bind("severity", alert.severity().name())
                .bind("measure", alert.measure())
                .bind("comparison", alert.comparison().name())
                .bind("baseline", alert.baseline().name())
                .bind("threshold", alert.threshold())
                .bind("value", alert.value().orElse(null))
                .bind("baselineValue", alert.baselineValue().orElse(null))
                .bind("observed", alert.observed())
                .bind("message", alert.message())
                .bind("firedAt", utc(alert.firedAt()))
                .bind("firedVersion", alert.firedVersion())
                .execute();
    }

    private static void resolve(Handle handle, Alert alert) {
        Resolved resolved = alert.resolved().orElseThrow();
        int updated = handle.createUpdate(RESOLVE)
                .bind("id", alert.id())
                .bind("at", utc(resolved.at()))
                .bind("version", resolved.version())
                .bind("resolution", resolved.resolution().name())
                .bind("value", resolved.value().orElse(null))
                .bind("observed", resolved.observed().orElse(null))
                .execute();
        if (updated != 1) {
            throw new FinhubException(ErrorCode.INTERNAL, "alert " + alert.id() + " was not firing any more when it resolved");
        }
    }

    Optional<Alert> find(String id) {
        return store.jdbi().withHandle(handle -> handle.createQuery(SELECT + " WHERE alert_id = :id")
                .bind("id", id)
                .map((row, context) -> toAlert(row))
                .findOne());
    }

    List<Alert> find(AlertQuery query) {
        if (query.limit() < 1 || query.limit() > AlertQuery.MAX_LIMIT) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "limit must be between 1 and %d, was %d".formatted(AlertQuery.MAX_LIMIT, query.limit()));
        }
        List<String> conditions = new ArrayList<>();
        query.state().ifPresent(state -> conditions.add("state = :state"));
        query.since().ifPresent(since -> conditions.add("changed_at >= :since"));
        query.rule().ifPresent(rule -> conditions.add("rule_id = :rule"));
        query.minimumSeverity().ifPresent(severity -> conditions.add("severity IN (<severities>)"));
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return store.jdbi().withHandle(handle -> {
            try (Query select = handle.createQuery(SELECT + where + " ORDER BY changed_at DESC, alert_id LIMIT :limit")) {
                query.state().ifPresent(state -> select.bind("state", state.name()));
                query.since().ifPresent(since -> select.bind("since", utc(since)));
                query.rule().ifPresent(rule -> select.bind("rule", rule));
                query.minimumSeverity().ifPresent(minimum -> select.bindList("severities", Arrays.stream(AlertSeverity.values())
                        .filter(severity -> severity.atLeast(minimum)).map(Enum::name).toList()));
                return select.bind("limit", query.limit()).map((row, context) -> toAlert(row)).list();
            }
        });
    }

    private Alert toAlert(ResultSet row) throws SQLException {
        StoredScope[] scope = AlertJson.read(json, row.getString("scope"), StoredScope[].class);
        Optional<Resolved> resolved = Optional.empty();
        LocalDateTime resolvedAt = row.getObject("resolved_at", LocalDateTime.class);
        if (resolvedAt != null) {
            resolved = Optional.of(new Resolved(resolvedAt.toInstant(ZoneOffset.UTC), row.getLong("resolved_version"),
                    Resolution.valueOf(row.getString("resolution")), decimal(row, "resolved_value"), decimal(row, "resolved_observed")));
        }
        return new Alert(row.getString("alert_id"), row.getString("rule_id"), row.getString("rule_name"), AlertSeverity.valueOf(row.getString("severity")),
                State.valueOf(row.getString("state")), row.getString("measure"), row.getString("scope_key"),
                Arrays.stream(scope).map(value -> new ScopeValue(value.dimension(), value.value(), Optional.ofNullable(value.label()))).toList(),
                row.getObject("period_start", LocalDate.class), row.getString("period_label"), Comparison.valueOf(row.getString("comparison")),
                Baseline.valueOf(row.getString("baseline")), canonical(row.getBigDecimal("threshold")), decimal(row, "value"),
                decimal(row, "baseline_value"), canonical(row.getBigDecimal("observed")), row.getString("message"),
                row.getObject("fired_at", LocalDateTime.class).toInstant(ZoneOffset.UTC), row.getLong("fired_version"), resolved);
    }

    private static Optional<BigDecimal> decimal(ResultSet row, String column) throws SQLException {
        return Optional.ofNullable(row.getBigDecimal(column)).map(AlertHistory::canonical);
    }

    /**
     * The one written form of an alert's numbers, pushed and stored alike: no trailing zeros
     * ({@code 5800.00} is {@code 5800}, {@code -16.0000} is {@code -16}), never an exponent.
     */
    static BigDecimal canonical(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    record StoredScope(String dimension, String value, String label) {}
}
