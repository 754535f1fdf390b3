package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The thin REST routes of forecasting, through a real HTTP client against a started server (fixture {@code forecast_company}). */
class ForecastHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FinhubServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(TestStores.withFixture("forecast_company"), "127.0.0.1", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void get_forecast_answers_the_customer_forecast() throws Exception {
        HttpResponse<String> response = get("/api/v1/cs-finance/forecast/a1?horizonQuarters=4");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        // A-1 6 000.00 + C-1 3 000.00 + X1 630.00.
        assertThat(body.at("/total/modelTotal").decimalValue()).isEqualByComparingTo("9630.00");
        assertThat(body.at("/renewals/0/probabilitySource").asText()).isEqualTo("CRM_STAGE");
        assertThat(body.at("/expansions/0/alignedToRenewal").asBoolean()).isTrue();
        assertThat(body.at("/total/modelTotalRange/method").asText()).isEqualTo("EXACT");
    }

    @Test
    void post_adjust_records_an_override_beside_the_model() throws Exception {
        HttpResponse<String> response = post("/api/v1/cs-finance/adjust", """
                {"contractId": "C-1", "probability": 0.8, "reason": "expansion of the team announced", "adjustedBy": "csm",
                 "evidence": [{"kind": "EMAIL", "reference": "mail-1"}]}""");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode adjustment = JSON.readTree(response.body());
        // C-1: 6 000.00 at the observed renewal rate 0.5 = 3 000.00; adjusted 0.8 = 4 800.00.
        assertThat(adjustment.at("/modelExpected").decimalValue()).isEqualByComparingTo("3000.00");
        assertThat(adjustment.at("/adjustedExpected").decimalValue()).isEqualByComparingTo("4800.00");
        JsonNode alpha = JSON.readTree(get("/api/v1/cs-finance/forecast/a1").body());
        assertThat(alpha.at("/total/modelRenewalArr").decimalValue()).isEqualByComparingTo("9000.00");
        assertThat(alpha.at("/total/adjustedRenewalArr").decimalValue()).isEqualByComparingTo("10800.00");
    }

    @Test
    void get_backtest_answers_the_latest_backtest() throws Exception {
        HttpResponse<String> response = get("/api/v1/cs-finance/backtest");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/currency").asText()).isEqualTo("USD");
    }

    @Test
    void errors_map_to_their_statuses() throws Exception {
        assertThat(get("/api/v1/cs-finance/forecast/nobody").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/cs-finance/forecast/a1?horizonQuarters=9").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/cs-finance/forecast/a1?horizonQuarters=x").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/cs-finance/adjust", "{\"contractId\": \"A-1\", \"reason\": \"r\", \"adjustedBy\": \"c\", \"evidence\": []}").statusCode())
                .isEqualTo(400);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
