package io.finhub.alert;

import static io.finhub.alert.AlertFixtures.costOverBudget;
import static io.finhub.alert.AlertFixtures.postMarketingMedia;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.finhub.alert.WebhookDelivery.Outcome;
import io.finhub.store.Store;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a small local HTTP receiver: signed JSON, three attempts with doubling backoff, every attempt logged. */
class AlertWebhookTest {
    private static final String SECRET = "a-shared-secret-of-the-receiver";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Received(Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name)).findFirst().orElseThrow().getValue().get(0);
        }
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();
    private final BlockingQueue<WebhookDelivery> attempts = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private Store store;
    private ScheduledExecutorService retries;
    private AlertService alerts;

    /** The default budget-variance rule watches the same overrun; these webhooks listen to the test's own rule only. */
    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        receiver.start();
        store = AlertFixtures.ledger();
        retries = new ScheduledThreadPoolExecutor(1);
        alerts = AlertFixtures.synchronous(store, AlertFixtures.metrics(store), Clock.fixed(AlertFixtures.MARCH_15, ZoneOffset.UTC),
                AlertSettings.defaults().withWebhookFirstBackoff(FIRST_BACKOFF), retries, attempts::add);
        alerts.create(costOverBudget("media-overrun"));
    }

    @AfterEach
    void stop() {
        alerts.close();
        store.close();
        receiver.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void a_failing_receiver_gets_three_signed_attempts_with_doubling_backoff() throws Exception {
        statuses.addAll(List.of(500, 503));
        AlertWebhook webhook = alerts.createWebhook(hookUrl(), Optional.of("media-overrun"), Optional.empty(), Optional.of(SECRET)).webhook();

        postMarketingMedia(store, "m1", "3800.00");
        List<Received> requests = List.of(take(received), take(received), take(received));
        List<WebhookDelivery> log = List.of(take(attempts), take(attempts), take(attempts));

        for (Received request : requests) {
            assertThat(request.header("X-FinHub-Signature-256")).isEqualTo("sha256=" + hmacSha256(SECRET, request.body()));
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("X-FinHub-Event")).isEqualTo("alert.fired");
        }
        assertThat(requests).extracting(request -> request.header("X-FinHub-Delivery")).containsOnly(log.get(0).deliveryId());
        assertThat(requests).extracting(Received::body).as("every attempt sends the same signed body").containsOnly(requests.get(0).body());
        JsonNode body = JSON.readTree(requests.get(0).body());
        assertThat(body.path("event").asText()).isEqualTo("alert.fired");
        assertThat(body.path("deliveryId").asText()).isEqualTo(log.get(0).deliveryId());
        assertThat(body.at("/alert/ruleId").asText()).isEqualTo("media-overrun");
        assertThat(body.at("/alert/observed").decimalValue()).isEqualByComparingTo("-16");
        assertThat(body.at("/alert/state").asText()).isEqualTo("FIRING");

        assertThat(log).extracting(attempt -> attempt.attempt() + " " + attempt.statusCode().orElseThrow() + " " + attempt.outcome() + " after "
                + attempt.backoffMillis() + " ms")
                .containsExactly("1 500 RETRYING after 0 ms", "2 503 RETRYING after 20 ms", "3 200 DELIVERED after 40 ms");
        assertThat(alerts.deliveries(Optional.of(webhook.id()), Optional.empty(), 10))
                .extracting(attempt -> attempt.attempt() + " " + attempt.outcome())
                .containsExactly("3 DELIVERED", "2 RETRYING", "1 RETRYING");
    }

    @Test
    void the_resolution_is_delivered_too_and_a_refusal_is_not_retried() throws Exception {
        AlertWebhook webhook = alerts.createWebhook(hookUrl(), Optional.of("media-overrun"), Optional.of(AlertSeverity.WARNING), Optional.empty()).webhook();
        postMarketingMedia(store, "m1", "3800.00");
        assertThat(take(attempts).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(take(received).header("X-FinHub-Event")).isEqualTo("alert.fired");

        statuses.add(400);
        postMarketingMedia(store, "m2", "-3800.00");
        WebhookDelivery refused = take(attempts);
        assertThat(refused.event()).isEqualTo("alert.resolved");
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.error()).contains("HTTP 400");
        assertThat(take(received).header("X-FinHub-Event")).isEqualTo("alert.resolved");
        assertThat(alerts.deliveries(Optional.of(webhook.id()), Optional.of(refused.alertId()), 10))
                .extracting(attempt -> attempt.event() + " " + attempt.attempt() + " " + attempt.outcome())
                .as("the clock is fixed, so both were attempted at the same instant")
                .containsExactlyInAnyOrder("alert.resolved 1 FAILED", "alert.fired 1 DELIVERED");
    }

    @Test
    void an_unreachable_receiver_fails_after_three_attempts() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        alerts.createWebhook("http://127.0.0.1:" + closedPort + "/hook", Optional.of("media-overrun"), Optional.empty(), Optional.empty());
        postMarketingMedia(store, "m1", "3800.00");
        List<WebhookDelivery> log = new ArrayList<>(List.of(take(attempts), take(attempts), take(attempts)));
        assertThat(log).extracting(attempt -> attempt.attempt() + " " + attempt.outcome() + " " + attempt.statusCode().isPresent())
                .containsExactly("1 RETRYING false", "2 RETRYING false", "3 FAILED false");
        assertThat(log.get(2).error()).hasValueSatisfying(error -> assertThat(error).contains("ConnectException"));
    }

    @Test
    void a_webhook_needs_an_http_url_and_a_long_enough_secret() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> alerts.createWebhook("ftp://example.com/x", Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("must be an absolute http or https URL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> alerts.createWebhook(hookUrl(), Optional.empty(), Optional.empty(), Optional.of("short")))
                .hasMessageContaining("secret must be at least 16 characters");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> alerts.createWebhook(hookUrl(), Optional.of("no-such-rule"), Optional.empty(), Optional.empty()))
                .hasMessageContaining("no alert rule 'no-such-rule'");
        assertThat(alerts.createWebhook(hookUrl(), Optional.empty(), Optional.empty(), Optional.empty()).secret()).matches("[0-9a-f]{64}");
    }

    /** The receiver's side of the signature, computed here independently of the sender's code. */
    private static String hmacSha256(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(20, TimeUnit.SECONDS);
        assertThat(item).as("nothing arrived within 20 s").isNotNull();
        return item;
    }
}
