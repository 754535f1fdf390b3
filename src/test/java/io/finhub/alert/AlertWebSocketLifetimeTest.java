package io.finhub.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.graphql.AlertFetchers;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.http.GraphqlWebSocket;
import io.finhub.http.HttpServer;
import io.finhub.store.Store;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long a real WebSocket connection lives: a subscriber waiting for a rare alert is kept open
 * however long nothing happens, and stopping the server says so to every client.
 */
class AlertWebSocketLifetimeTest {
    private static final String RARE = "subscription { events(topics: [\"rare\"]) { topic payload } }";

    private Store store;
    private AlertService alerts;
    private HttpServer http;
    private boolean httpClosed;
    private final HttpClient client = HttpClient.newHttpClient();

    private void start(Duration idleTimeout) {
        store = AlertFixtures.ledger();
        alerts = AlertService.create(store, AlertFixtures.metrics(store), Clock.fixed(AlertFixtures.MARCH_15, ZoneOffset.UTC), FinhubServer.objectMapper(),
                AlertSettings.defaults());
        GraphqlEngine engine = new GraphqlEngine(List.of(new AlertFetchers(alerts)));
        GraphqlWebSocket webSocket = new GraphqlWebSocket(engine, FinhubServer.objectMapper(), Duration.ofSeconds(10), idleTimeout, 16);
        http = new HttpServer(engine, store, FinhubServer.objectMapper(), List.of(webSocket)).start("127.0.0.1", 0);
    }

    private void stopHttp() {
        if (!httpClosed) {
            httpClosed = true;
            http.close();
        }
    }

    @AfterEach
    void stop() {
        stopHttp();
        alerts.close();
        store.close();
    }

    @Test
    void a_connection_with_an_open_subscription_outlives_several_idle_timeouts() throws InterruptedException {
        Duration idleTimeout = Duration.ofSeconds(2);
        start(idleTimeout);
        try (AlertWsClient subscriber = AlertWsClient.initialised(client, http.port()); AlertWsClient idle = AlertWsClient.initialised(client, http.port())) {
            subscriber.subscribe("s", RARE, Map.of());
            subscriber.roundTrip();

            // Neither client sends anything from here on. The one with nothing open is closed as idle...
            assertThat(idle.closeCode()).isEqualTo(1001);
            // ...the subscriber is not, three idle timeouts later, and still gets the event it waits for.
            Thread.sleep(idleTimeout.multipliedBy(3).toMillis());
            assertThat(subscriber.closed()).as("closed with %s", subscriber.closed() ? subscriber.closeReason() : "").isFalse();
            alerts.events().publish("rare", Map.of("n", 1));
            assertThat(subscriber.expect("next").at("/payload/data/events/payload/n").asInt()).isEqualTo(1);
        }
    }

    @Test
    void stopping_the_server_completes_the_subscriptions_and_says_so_when_it_closes() {
        start(Duration.ofMinutes(1));
        try (AlertWsClient subscriber = AlertWsClient.initialised(client, http.port())) {
            subscriber.subscribe("s", RARE, Map.of());
            subscriber.roundTrip();

            stopHttp();
            assertThat(subscriber.expect("complete").path("id").asText()).isEqualTo("s");
            assertThat(subscriber.closeCode()).isEqualTo(1001);
            assertThat(subscriber.closeReason()).isEqualTo("Server shutting down");
        }
    }
}
