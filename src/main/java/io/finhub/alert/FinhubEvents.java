package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;

/**
 * The in-process topic bus behind the event subscriptions ({@code attribution_update},
 * {@code value_realization}, {@code forecast_adjustment} and any other topic). A feature keeps its
 * own small publisher; the wiring in {@code FinhubServer} forwards it here, e.g.
 * {@code attributionEvents.subscribe(update -> events.publish(AttributionUpdate.EVENT_NAME, update))}.
 *
 * <p>{@link #publish} converts the payload to JSON values once and never waits: each subscriber has
 * its own bounded buffer (see {@link AlertBroadcast} for the slow-subscriber policy). Events are
 * not stored; a subscriber sees the events published while it is subscribed.
 */
public final class FinhubEvents {
    public static final String ATTRIBUTION_UPDATE = "attribution_update";
    public static final String VALUE_REALIZATION = "value_realization";
    public static final String FORECAST_ADJUSTMENT = "forecast_adjustment";
    private static final Pattern TOPIC = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final AlertBroadcast<FinhubEvent> broadcast;
    private final ObjectMapper json;
    private final Clock clock;

    FinhubEvents(Executor delivery, int bufferSize, ObjectMapper json, Clock clock) {
        this.broadcast = new AlertBroadcast<>("events", delivery, bufferSize);
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Publishes {@code payload} (a record or map, serialised with Jackson) on {@code topic}. Call it
     * after the change the event describes has committed. Safe from any thread; returns at once.
     */
    public void publish(String topic, Object payload) {
        requireTopic(topic);
        requireNonNull(payload, "payload is null");
        broadcast.publish(new FinhubEvent(topic, clock.instant().truncatedTo(ChronoUnit.MICROS), json.convertValue(payload, Object.class)));
    }

    /** The events of these topics, or of every topic when {@code topics} is empty. */
    public Publisher<FinhubEvent> subscribe(Set<String> topics) {
        Set<String> wanted = Set.copyOf(topics);
        wanted.forEach(FinhubEvents::requireTopic);
        return broadcast.publisher(event -> wanted.isEmpty() || wanted.contains(event.topic()));
    }

    public int subscribers() {
        return broadcast.subscribers();
    }

    void close() {
        broadcast.close();
    }

    private static void requireTopic(String topic) {
        requireNonNull(topic, "topic is null");
        if (!TOPIC.matcher(topic).matches()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST,
                    "topic '%s' must be lower-case letters, digits and underscores, starting with a letter".formatted(topic));
        }
    }
}
