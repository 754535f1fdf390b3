package io.finhub.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real WebSocket clients, one of which stops reading: identical subscriptions share one execution,
 * and the reader that stopped is dropped with SLOW_SUBSCRIBER while the other gets everything.
 */
class AlertWebSocketBackpressureTest {
    private static final int BACKLOG = 16;
    private static final String FLOOD = "subscription { events(topics: [\"flood\"]) { topic payload } }";
    private static final String FILLER = "x".repeat(4_000);

    private Store store;
    private AlertService alerts;
    private GraphqlWebSocket webSocket;
    private HttpServer http;
    private HttpClient client;

    @BeforeEach
    void start() {
        store = AlertFixtures.ledger();
        alerts = AlertService.create(store, AlertFixtures.metrics(store), Clock.fixed(AlertFixtures.MARCH_15, ZoneOffset.UTC), FinhubServer.objectMapper(),
                AlertSettings.defaults());
        GraphqlEngine engine = new GraphqlEngine(List.of(new AlertFetchers(alerts)));
        webSocket = new GraphqlWebSocket(engine, FinhubServer.objectMapper(), Duration.ofSeconds(10), Duration.ofMinutes(1), BACKLOG);
        http = new HttpServer(engine, store, FinhubServer.objectMapper(), List.of(webSocket)).start("127.0.0.1", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        http.close();
        alerts.close();
        store.close();
    }

    @Test
    void a_client_that_stops_reading_is_dropped_and_the_others_get_everything() {
        try (AlertWsClient reader = AlertWsClient.initialised(client, http.port()); AlertWsClient stalled = AlertWsClient.initialised(client, http.port())) {
            reader.subscribe("r", FLOOD, Map.of());
            stalled.subscribe("s", FLOOD, Map.of());
            reader.roundTrip();
            stalled.roundTrip();
            assertThat(webSocket.sharedStreams()).as("two identical subscriptions, one execution").isEqualTo(1);

            stalled.pause();
            // Batches of half the backlog, events of about 4 kB: the reader reads each batch before the next is
            // published, so it never has more than 8 messages waiting however slowly the server writes (batches
            // of 100 dropped it now and then on a loaded machine), while the stalled client's socket buffers
            // fill and then its unwritten messages pass the backlog of 16.
            int batchSize = BACKLOG / 2;
            int sequence = 0;
            for (int batch = 0; batch < 20_000 && webSocket.operations() == 2; batch++) {
                for (int event = 0; event < batchSize; event++) {
                    alerts.events().publish("flood", Map.of("n", sequence++, "filler", FILLER));
                }
                for (int event = 0; event < batchSize; event++) {
                    JsonNode message = reader.expect("next");
                    assertThat(message.at("/payload/data/events/payload/n").asInt()).isEqualTo(sequence - batchSize + event);
                }
            }
            assertThat(webSocket.operations()).as("the stalled subscription was dropped").isEqualTo(1);

            stalled.resume();
            int delivered = 0;
            JsonNode message = stalled.next();
            while (message.path("type").asText().equals("next")) {
                delivered++;
                message = stalled.next();
            }
            assertThat(message.path("type").asText()).isEqualTo("error");
            assertThat(message.path("id").asText()).isEqualTo("s");
            assertThat(message.at("/payload/0/extensions/code").asText()).isEqualTo("SLOW_SUBSCRIBER");
            assertThat(delivered).as("what reached its socket before it was dropped").isLessThan(sequence);
            stalled.roundTrip();

            alerts.events().publish("flood", Map.of("n", sequence));
            assertThat(reader.expect("next").at("/payload/data/events/payload/n").asInt()).isEqualTo(sequence);
        }
    }

    @Test
    void the_shared_execution_ends_when_its_last_subscriber_completes() {
        try (AlertWsClient first = AlertWsClient.initialised(client, http.port()); AlertWsClient second = AlertWsClient.initialised(client, http.port())) {
            first.subscribe("1", FLOOD, Map.of());
            second.subscribe("2", FLOOD, Map.of());
            first.roundTrip();
            second.roundTrip();
            assertThat(alerts.events().subscribers()).isEqualTo(1);

            first.send(Map.of("type", "complete", "id", "1"));
            first.roundTrip();
            alerts.events().publish("flood", Map.of("n", 1));
            assertThat(second.expect("next").at("/payload/data/events/payload/n").asInt()).isEqualTo(1);

            second.send(Map.of("type", "complete", "id", "2"));
            second.roundTrip();
            assertThat(webSocket.sharedStreams()).isZero();
            assertThat(alerts.events().subscribers()).isZero();
        }
    }
}
