package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A rule and whether it works.
 *
 * @param problem why the rule is UNAVAILABLE (it names a measure or dimension the catalog lacks) or
 *        FAILING (its last evaluation failed, e.g. a missing FX rate)
 */
public record AlertRuleStatus(AlertRule rule, Status status, Optional<String> problem, Optional<Instant> evaluatedAt, Optional<Long> evaluatedVersion) {
    public AlertRuleStatus {
        requireNonNull(rule, "rule is null");
        requireNonNull(status, "status is null");
        requireNonNull(problem, "problem is null");
        requireNonNull(evaluatedAt, "evaluatedAt is null");
        requireNonNull(evaluatedVersion, "evaluatedVersion is null");
    }

    public enum Status {
        ACTIVE,
        DISABLED,
        /** Names a measure or dimension the catalog does not have (yet); evaluated once it has. */
        UNAVAILABLE,
        /** Its last evaluation failed; the problem says why. */
        FAILING
    }
}
