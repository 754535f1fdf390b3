package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One event of a topic, as subscribers receive it.
 *
 * @param payload the publisher's event as JSON-shaped values (maps, lists, strings, numbers, booleans)
 */
public record FinhubEvent(String topic, Instant at, Object payload) {
    public FinhubEvent {
        requireNonNull(topic, "topic is null");
        requireNonNull(at, "at is null");
    }
}
