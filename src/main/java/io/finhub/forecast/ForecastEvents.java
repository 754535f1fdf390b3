package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process publisher of {@code forecast_adjustment} events (adjustments and health trend signals).
 * Subscribers run on the publishing thread after the change committed; hand slow work to an executor.
 * A failing subscriber is logged and does not stop the others.
 */
public final class ForecastEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ForecastEvents.class);
    private final List<Consumer<ForecastEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes {@code subscriber}; closing the returned handle unsubscribes it. */
    public AutoCloseable subscribe(Consumer<ForecastEvent> subscriber) {
        requireNonNull(subscriber, "subscriber is null");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    void publish(ForecastEvent event) {
        for (Consumer<ForecastEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            }
            catch (RuntimeException e) {
                LOG.warn("a forecast_adjustment subscriber failed", e);
            }
        }
    }
}
