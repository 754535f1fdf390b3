package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process publisher of {@code value_realization} events. Subscribers run on the publishing
 * thread after the change committed; hand slow work to an executor. A failing subscriber is logged
 * and does not stop the others.
 */
public final class RealizationEvents {
    private static final Logger LOG = LoggerFactory.getLogger(RealizationEvents.class);
    private final List<Consumer<ValueRealizationEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final List<Runnable> onFirstSubscriber = new CopyOnWriteArrayList<>();
    private boolean subscribed;

    /**
     * Subscribes {@code subscriber}; closing the returned handle unsubscribes it. The first
     * subscription starts watching the facts for changes of realization: nobody listening, no work.
     */
    public AutoCloseable subscribe(Consumer<ValueRealizationEvent> subscriber) {
        requireNonNull(subscriber, "subscriber is null");
        subscribers.add(subscriber);
        firstSubscription().forEach(Runnable::run);
        return () -> subscribers.remove(subscriber);
    }

    private synchronized List<Runnable> firstSubscription() {
        if (subscribed) {
            return List.of();
        }
        subscribed = true;
        return List.copyOf(onFirstSubscriber);
    }

    /** Runs {@code start} at the first subscription (now, when someone has subscribed already). */
    void whenSubscribed(Runnable start) {
        boolean already;
        synchronized (this) {
            already = subscribed;
            if (!already) {
                onFirstSubscriber.add(start);
            }
        }
        if (already) {
            start.run();
        }
    }

    void publish(ValueRealizationEvent event) {
        for (Consumer<ValueRealizationEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            }
            catch (RuntimeException e) {
                LOG.warn("a value_realization subscriber failed", e);
            }
        }
    }
}
