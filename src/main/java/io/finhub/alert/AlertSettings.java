package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Limits and timings of alert delivery.
 *
 * @param subscriberBuffer events one subscriber may have waiting before it is dropped as too slow
 * @param deliveryThreads threads that hand buffered events to subscribers (shared by all of them)
 * @param evaluationThreads rules over loaded facts evaluated side by side after a change
 * @param webhookFirstBackoff wait before a webhook's second attempt; the third waits twice as long
 * @param webhookTimeout how long one webhook attempt may take
 * @param maxWebhooksInFlight deliveries pending at once before new ones are dropped (and logged)
 */
public record AlertSettings(int subscriberBuffer, int deliveryThreads, int evaluationThreads, Duration webhookFirstBackoff, Duration webhookTimeout, int maxWebhooksInFlight) {
    public AlertSettings {
        requireNonNull(webhookFirstBackoff, "webhookFirstBackoff is null");
        requireNonNull(webhookTimeout, "webhookTimeout is null");
        if (subscriberBuffer < 1 || deliveryThreads < 1 || evaluationThreads < 1 || maxWebhooksInFlight < 1) {
            throw new IllegalArgumentException("buffer, threads and in-flight limits must be positive");
        }
    }

    public static AlertSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new AlertSettings(256, Math.max(2, cores), Math.max(2, cores), Duration.ofSeconds(1), Duration.ofSeconds(10), 10_000);
    }

    public AlertSettings withWebhookFirstBackoff(Duration backoff) {
        return new AlertSettings(subscriberBuffer, deliveryThreads, evaluationThreads, backoff, webhookTimeout, maxWebhooksInFlight);
    }

    public AlertSettings withSubscriberBuffer(int buffer) {
        return new AlertSettings(buffer, deliveryThreads, evaluationThreads, webhookFirstBackoff, webhookTimeout, maxWebhooksInFlight);
    }
}
