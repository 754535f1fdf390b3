package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One attempt to deliver one alert change to one webhook, as the delivery log records it.
 *
 * @param deliveryId the same for every attempt of a delivery, and sent as {@code X-FinHub-Delivery}, so receivers can deduplicate
 * @param backoffMillis how long the sender waited before this attempt
 * @param statusCode the receiver's HTTP status, empty when no response came
 */
public record WebhookDelivery(String deliveryId, int attempt, String webhookId, String alertId, String event, Instant attemptedAt, long backoffMillis,
        Optional<Integer> statusCode, Outcome outcome, Optional<String> error, long durationMillis) {
    public WebhookDelivery {
        requireNonNull(deliveryId, "deliveryId is null");
        requireNonNull(webhookId, "webhookId is null");
        requireNonNull(alertId, "alertId is null");
        requireNonNull(event, "event is null");
        requireNonNull(attemptedAt, "attemptedAt is null");
        requireNonNull(statusCode, "statusCode is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(error, "error is null");
    }

    public enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** This attempt failed and another is scheduled. */
        RETRYING,
        /** The last attempt failed, or the receiver refused it with a 4xx that retrying cannot fix. */
        FAILED,
        /** Not attempted: too many deliveries were in flight. */
        DROPPED
    }
}
