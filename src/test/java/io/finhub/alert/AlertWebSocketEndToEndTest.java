package io.finhub.alert;

import static io.finhub.alert.AlertFixtures.postMarketingMedia;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.http.GraphqlWebSocket;
import io.finhub.http.HttpServer;
import io.finhub.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real server and real WebSocket clients speaking graphql-transport-ws. Marketing's March media
 * budget is 5000 and 2000 is booked (+60 %); the rule fires below −10 %.
 */
class AlertWebSocketEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALERTS = """
            subscription ($rule: ID) {
              alerts(rule: $rule) { id rule state severity observed value periodLabel message resolution scope { dimension value label } }
            }""";
    private static FinhubServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(AlertFixtures.ledger(), "127.0.0.1", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void createMarchRule(String id) {
        JsonNode created = graphql("""
                mutation ($id: ID!) {
                  createAlertRule(input: {id: $id, name: "March media overrun", measure: "budgetVariancePct", dimensions: ["department"],
                      filters: [{dimension: "accountType", values: ["EXPENSE", "COGS"]}], grain: MONTH, from: "2025-03-01", to: "2025-03-31",
                      comparison: BELOW, threshold: -10, severity: CRITICAL}) { id status builtIn }
                }""", Map.of("id", id));
        assertThat(created.at("/data/createAlertRule/status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void a_subscriber_receives_the_alert_when_a_commit_crosses_and_when_it_resolves_and_nothing_in_between() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        createMarchRule("march-media");
        Store store = server.store();
        try (AlertWsClient subscriber = AlertWsClient.initialised(client, server.port()); AlertWsClient watcher = AlertWsClient.initialised(client, server.port())) {
            subscriber.subscribe("1", ALERTS, Map.of("rule", "march-media"));
            watcher.subscribe("w", ALERTS, Map.of("rule", "march-media"));
            subscriber.roundTrip();
            watcher.roundTrip();

            // 2000 + 3800 = 5800: (5000 − 5800) ÷ 5000 = −16 %.
            postMarketingMedia(store, "ws-1", "3800.00");
            JsonNode fired = alert(subscriber.expect("next"), "1");
            assertThat(fired.path("state").asText()).isEqualTo("FIRING");
            assertThat(fired.path("severity").asText()).isEqualTo("CRITICAL");
            assertThat(fired.path("observed").decimalValue()).isEqualByComparingTo("-16");
            assertThat(fired.path("periodLabel").asText()).isEqualTo("2025-03");
            assertThat(fired.path("scope").get(0).path("label").asText()).isEqualTo("Marketing");
            assertThat(alert(watcher.expect("next"), "w").path("id").asText()).isEqualTo(fired.path("id").asText());

            // 5900 (−18 %) stays breached; a credit of 1400 brings it to 4500 (+10 %). The next message is the resolution.
            postMarketingMedia(store, "ws-2", "100.00");
            postMarketingMedia(store, "ws-3", "-1400.00");
            JsonNode resolved = alert(subscriber.expect("next"), "1");
            assertThat(resolved.path("id").asText()).isEqualTo(fired.path("id").asText());
            assertThat(resolved.path("state").asText()).isEqualTo("RESOLVED");
            assertThat(resolved.path("resolution").asText()).isEqualTo("RECOVERED");
            assertThat(alert(watcher.expect("next"), "w").path("state").asText()).isEqualTo("RESOLVED");

            // After complete, the subscriber hears nothing more; the watcher sees the next breach (4500 + 1200 = 5700, −14 %).
            subscriber.send(Map.of("type", "complete", "id", "1"));
            subscriber.roundTrip();
            postMarketingMedia(store, "ws-4", "1200.00");
            JsonNode again = alert(watcher.expect("next"), "w");
            assertThat(again.path("state").asText()).isEqualTo("FIRING");
            assertThat(again.path("observed").decimalValue()).isEqualByComparingTo("-14");
            subscriber.roundTrip();
        }

        // A client that reconnects catches up from the history.
        JsonNode history = graphql("query ($since: DateTime) { alerts(rule: \"march-media\", since: $since) { state observed } }",
                Map.of("since", before.toString()));
        assertThat(history.at("/data/alerts")).extracting(node -> node.path("state").asText() + " " + node.path("observed").asText())
                .containsExactly("FIRING -14", "RESOLVED -16");
    }

    @Test
    void event_topics_are_pushed_to_their_subscribers() {
        try (AlertWsClient subscriber = AlertWsClient.initialised(client, server.port())) {
            subscriber.subscribe("a", "subscription { attributionUpdates { topic at payload } }", Map.of());
            subscriber.subscribe("f", "subscription { events(topics: [\"forecast_adjustment\"]) { topic payload } }", Map.of());
            // The server's own attribution build, finishing in the background, may publish its update at any time: skip it.
            subscriber.roundTripIgnoring("a");
            server.alerts().events().publish(FinhubEvents.ATTRIBUTION_UPDATE, Map.of("kind", "MARKETING", "dataVersion", 7));
            JsonNode event = subscriber.expect("next");
            while (event.at("/payload/data/attributionUpdates/payload/dataVersion").asInt() != 7) {
                event = subscriber.expect("next");
            }
            assertThat(event.path("id").asText()).isEqualTo("a");
            assertThat(event.at("/payload/data/attributionUpdates/topic").asText()).isEqualTo("attribution_update");
            assertThat(event.at("/payload/data/attributionUpdates/payload/dataVersion").asInt()).isEqualTo(7);
            server.alerts().events().publish(FinhubEvents.FORECAST_ADJUSTMENT, Map.of("customer", "c1"));
            // The background build's own update can still arrive in between: skip those too.
            JsonNode adjustment = subscriber.expect("next");
            while (adjustment.path("id").asText().equals("a")) {
                adjustment = subscriber.expect("next");
            }
            assertThat(adjustment.path("id").asText()).isEqualTo("f");
            assertThat(adjustment.at("/payload/data/events/payload/customer").asText()).isEqualTo("c1");
        }
    }

    @Test
    void queries_mutations_and_request_errors_follow_the_protocol() {
        try (AlertWsClient connection = AlertWsClient.initialised(client, server.port())) {
            connection.subscribe("q", "{ dataVersion }", Map.of());
            JsonNode answer = connection.expect("next");
            assertThat(answer.path("id").asText()).isEqualTo("q");
            assertThat(answer.at("/payload/data/dataVersion").isNumber()).isTrue();
            assertThat(connection.expect("complete").path("id").asText()).isEqualTo("q");

            connection.subscribe("v", "subscription { alerts { nope } }", Map.of());
            JsonNode invalid = connection.expect("error");
            assertThat(invalid.path("id").asText()).isEqualTo("v");
            assertThat(invalid.at("/payload/0/extensions/code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");

            connection.subscribe("u", "subscription { alerts(rule: \"no-such-rule\") { id } }", Map.of());
            JsonNode unknown = connection.expect("next");
            assertThat(unknown.at("/payload/errors/0/extensions/code").asText()).isEqualTo("NOT_FOUND");
            assertThat(unknown.at("/payload/errors/0/message").asText()).contains("no alert rule 'no-such-rule'");
            connection.expect("complete");
            connection.roundTrip();
        }
    }

    @Test
    void protocol_violations_close_the_connection_with_the_protocol_codes() {
        try (AlertWsClient early = AlertWsClient.connect(client, server.port())) {
            early.subscribe("1", ALERTS, Map.of());
            assertThat(early.closeCode()).as("subscribe before connection_ack").isEqualTo(4401);
        }
        try (AlertWsClient twice = AlertWsClient.initialised(client, server.port())) {
            twice.send(Map.of("type", "connection_init"));
            assertThat(twice.closeCode()).isEqualTo(4429);
        }
        try (AlertWsClient garbled = AlertWsClient.initialised(client, server.port())) {
            garbled.sendRaw("{not json");
            assertThat(garbled.closeCode()).isEqualTo(4400);
        }
        try (AlertWsClient duplicate = AlertWsClient.initialised(client, server.port())) {
            duplicate.subscribe("same", ALERTS, Map.of());
            duplicate.subscribe("same", ALERTS, Map.of());
            assertThat(duplicate.closeCode()).isEqualTo(4409);
        }
        try (AlertWsClient legacy = AlertWsClient.connect(client, server.port(), "graphql-ws")) {
            assertThat(legacy.closeCode()).as("the legacy subscriptions-transport-ws protocol").isEqualTo(4406);
        }
    }

    @Test
    void a_connection_that_does_not_initialise_in_time_is_closed() {
        Store store = server.store();
        GraphqlEngine engine = FinhubServer.graphql(store, Clock.systemUTC());
        GraphqlWebSocket impatient = new GraphqlWebSocket(engine, FinhubServer.objectMapper(), Duration.ofMillis(200), Duration.ofMinutes(1), 16);
        try (HttpServer http = new HttpServer(engine, store, FinhubServer.objectMapper(), List.of(impatient)).start("127.0.0.1", 0);
                AlertWsClient silent = AlertWsClient.connect(client, http.port())) {
            assertThat(silent.closeCode()).isEqualTo(4408);
        }
    }

    private static JsonNode alert(JsonNode message, String id) {
        assertThat(message.path("id").asText()).isEqualTo(id);
        assertThat(message.path("payload").has("errors")).as(message.toString()).isFalse();
        return message.at("/payload/data/alerts");
    }

    private static JsonNode graphql(String query, Map<String, Object> variables) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query, "variables", variables))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.has("errors")).as(response.body()).isFalse();
            return body;
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
