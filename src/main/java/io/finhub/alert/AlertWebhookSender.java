package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.alert.AlertWebhooks.Target;
import io.finhub.alert.WebhookDelivery.Outcome;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs alert changes to webhooks. The body is JSON ({@code event}, {@code deliveryId},
 * {@code createdAt}, {@code alert}); {@code X-FinHub-Signature-256: sha256=<hex>} is the
 * HMAC-SHA256 of the exact body bytes under the webhook's secret. A delivery is attempted at most
 * {@link #MAX_ATTEMPTS} times, waiting {@code firstBackoff}, then twice that, between attempts; it is
 * retried after a network error, a timeout, 408, 429 or 5xx, and not after another 4xx. Every attempt
 * is logged. Sending is asynchronous (java.net.http) and never holds up the evaluator; at most
 * {@code maxInFlight} deliveries are pending, beyond that a delivery is logged DROPPED.
 */
final class AlertWebhookSender {
    static final int MAX_ATTEMPTS = 3;
    static final String SIGNATURE_HEADER = "X-FinHub-Signature-256";
    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhookSender.class);

    private final AlertWebhooks webhooks;
    private final ObjectMapper json;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Supplier<HttpClient> client;
    private final Duration firstBackoff;
    private final Duration timeout;
    private final int maxInFlight;
    private final Consumer<WebhookDelivery> listener;
    private final AtomicInteger inFlight = new AtomicInteger();

    AlertWebhookSender(AlertWebhooks webhooks, ObjectMapper json, Clock clock, ScheduledExecutorService scheduler, Supplier<HttpClient> client,
            Duration firstBackoff, Duration timeout, int maxInFlight, Consumer<WebhookDelivery> listener) {
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.client = requireNonNull(client, "client is null");
        this.firstBackoff = requireNonNull(firstBackoff, "firstBackoff is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.maxInFlight = maxInFlight;
        this.listener = requireNonNull(listener, "listener is null");
    }

    private record Delivery(String id, Target target, Alert alert, String event, String body, String signature) {}

    /** Starts a delivery of each alert change to each enabled webhook that wants it; returns at once. */
    void send(List<Alert> changes) {
        List<Target> targets = webhooks.targets(true);
        for (Alert alert : changes) {
            for (Target target : targets) {
                if (target.webhook().wants(alert)) {
                    start(target, alert);
                }
            }
        }
    }

    private void start(Target target, Alert alert) {
        String id = UUID.randomUUID().toString();
        String event = alert.state() == Alert.State.FIRING ? "alert.fired" : "alert.resolved";
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            record(new WebhookDelivery(id, 1, target.webhook().id(), alert.id(), event, now(), 0, Optional.empty(), Outcome.DROPPED,
                    Optional.of(maxInFlight + " deliveries were pending"), 0));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("deliveryId", id);
        body.put("createdAt", now());
        body.put("alert", alert);
        String text = AlertJson.write(json, body);
        attempt(new Delivery(id, target, alert, event, text, sign(target.secret(), text)), 1, 0);
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code body}'s UTF-8 bytes under {@code secret}. */
    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private void attempt(Delivery delivery, int attempt, long backoffMillis) {
        Instant started = now();
        long startedNanos = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(delivery.target().webhook().url())
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "FinHub-Webhooks")
                    .header("X-FinHub-Event", delivery.event())
                    .header("X-FinHub-Delivery", delivery.id())
                    .header("X-FinHub-Attempt", String.valueOf(attempt))
                    .header(SIGNATURE_HEADER, delivery.signature())
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
                    .build();
            client.get().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> finish(delivery, attempt, backoffMillis, started, startedNanos,
                            Optional.ofNullable(response).map(HttpResponse::statusCode), Optional.ofNullable(failure)));
        }
        catch (RuntimeException e) {
            finish(delivery, attempt, backoffMillis, started, startedNanos, Optional.empty(), Optional.of(e));
        }
    }

    private void finish(Delivery delivery, int attempt, long backoffMillis, Instant started, long startedNanos, Optional<Integer> status,
            Optional<Throwable> failure) {
        boolean delivered = status.filter(code -> code >= 200 && code < 300).isPresent();
        boolean retryable = failure.isPresent() || status.filter(code -> code == 408 || code == 429 || code >= 500).isPresent();
        Outcome outcome = delivered ? Outcome.DELIVERED : retryable && attempt < MAX_ATTEMPTS ? Outcome.RETRYING : Outcome.FAILED;
        Optional<String> error = failure.map(AlertWebhookSender::describe).or(() -> delivered ? Optional.empty() : status.map(code -> "HTTP " + code));
        record(new WebhookDelivery(delivery.id(), attempt, delivery.target().webhook().id(), delivery.alert().id(), delivery.event(), started,
                backoffMillis, status, outcome, error, (System.nanoTime() - startedNanos) / 1_000_000));
        if (outcome != Outcome.RETRYING) {
            inFlight.decrementAndGet();
            return;
        }
        long nextBackoff = firstBackoff.toMillis() << (attempt - 1);
        try {
            scheduler.schedule(() -> attempt(delivery, attempt + 1, nextBackoff), nextBackoff, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            LOG.warn("webhook delivery {} not retried: shutting down", delivery.id());
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private void record(WebhookDelivery delivery) {
        try {
            webhooks.log(delivery);
        }
        catch (RuntimeException e) {
            LOG.warn("cannot log webhook delivery {}", delivery.deliveryId(), e);
        }
        listener.accept(delivery);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
