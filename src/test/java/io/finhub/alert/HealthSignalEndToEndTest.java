package io.finhub.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A health score imported over HTTP reaches a {@code forecastAdjustments} subscriber over the WebSocket
 * as a HEALTH_TREND signal for each open renewal it moved ({@code forecast_company}: a1 renews A-1 at
 * 60 % of 10,000.00 and C-1 at 50 % of 6,000.00, scored 72 on 2025-12-01).
 */
class HealthSignalEndToEndTest {

    @Test
    void an_imported_health_score_is_pushed_as_a_health_trend_signal() throws Exception {
        Store store = TestStores.withFixture("forecast_company");
        try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0)) {
            HttpClient client = HttpClient.newHttpClient();
            awaitFirstComparison(store);
            try (AlertWsClient subscriber = AlertWsClient.initialised(client, server.port())) {
                subscriber.subscribe("f", "subscription { forecastAdjustments { topic payload } }", Map.of());
                subscriber.roundTripIgnoring("f");

                HttpResponse<String> imported = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/import/fact_health_score"))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString("customer_id,scored_on,health_score,risk_band\na1,2025-12-20,40,AT_RISK\n"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);

                JsonNode first = subscriber.expect("next").at("/payload/data/forecastAdjustments");
                JsonNode second = subscriber.expect("next").at("/payload/data/forecastAdjustments");
                assertThat(first.at("/topic").asText()).isEqualTo("forecast_adjustment");
                assertThat(first.at("/payload/kind").asText()).isEqualTo("HEALTH_TREND");
                assertThat(first.at("/payload/contractId").asText()).isEqualTo("A-1");
                assertThat(first.at("/payload/previousHealthScore").asDouble()).isEqualTo(72.0);
                assertThat(first.at("/payload/healthScore").asDouble()).isEqualTo(40.0);
                // 10,000.00 x 0.6000 = 6,000.00
                assertThat(first.at("/payload/modelExpected").decimalValue()).isEqualByComparingTo("6000.00");
                assertThat(second.at("/payload/contractId").asText()).isEqualTo("C-1");
                // 6,000.00 x 0.5000 = 3,000.00
                assertThat(second.at("/payload/modelExpected").decimalValue()).isEqualByComparingTo("3000.00");
            }
        }
    }

    /** The server compares once when it starts, after its builds (only remembering); a signal needs that comparison first. */
    private static void awaitFirstComparison(Store store) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM forecast_signal_state").mapTo(Long.class).one()) == 0) {
            assertThat(Instant.now()).as("the first comparison").isBefore(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
