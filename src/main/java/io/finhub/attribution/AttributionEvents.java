package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process publisher of {@link AttributionUpdate} ({@code attribution_update}) events. Subscribers
 * run on the publishing thread, after the change committed; hand slow work to an executor. A
 * failing subscriber is logged and does not stop the others.
 */
public final class AttributionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionEvents.class);
    private final List<Consumer<AttributionUpdate>> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes {@code subscriber}; closing the returned handle unsubscribes it. */
    public AutoCloseable subscribe(Consumer<AttributionUpdate> subscriber) {
        requireNonNull(subscriber, "subscriber is null");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    void publish(AttributionUpdate update) {
        for (Consumer<AttributionUpdate> subscriber : subscribers) {
            try {
                subscriber.accept(update);
            }
            catch (RuntimeException e) {
                LOG.warn("an attribution_update subscriber failed", e);
            }
        }
    }
}
