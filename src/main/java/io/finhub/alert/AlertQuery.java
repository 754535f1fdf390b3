package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Which alerts to list, newest change first. A client that reconnects asks for everything that
 * changed {@code since} the last alert it saw, and so catches up with what it missed.
 *
 * @param since alerts that fired or resolved at or after this instant
 * @param minimumSeverity this severity or a more severe one
 */
public record AlertQuery(Optional<Alert.State> state, Optional<Instant> since, Optional<String> rule, Optional<AlertSeverity> minimumSeverity, int limit) {
    public static final int MAX_LIMIT = 10_000;

    public AlertQuery {
        requireNonNull(state, "state is null");
        requireNonNull(since, "since is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(minimumSeverity, "minimumSeverity is null");
    }

    public static AlertQuery all() {
        return new AlertQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 100);
    }
}
