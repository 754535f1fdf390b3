package io.finhub.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CS-finance REST routes through a real HTTP client against a started server. */
class AttributionHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FinhubServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(AttributionFixtures.store("customer_success"), "127.0.0.1", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void post_attribute_records_an_outcome_and_get_portfolio_includes_it() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/cs-finance/attribute/a"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"outcomeType": "EXPANSION", "amount": 120.10, "currency": "USD", "outcomeDate": "2025-03-01",
                         "allocations": [{"programId": "training", "share": 0.5, "evidence": "admins trained before the upsell"},
                                         {"programId": "qbr", "share": 0.5, "evidence": "upsell agreed in the QBR"}]}"""))
                .build());
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode outcome = JSON.readTree(created.body());
        assertThat(outcome.get("method").asText()).isEqualTo("manual");
        assertThat(outcome.at("/allocations/0/amount").decimalValue()).isEqualByComparingTo("60.05");
        assertThat(created.body()).contains("\"amount\":120.10");

        HttpResponse<String> portfolio = send(HttpRequest.newBuilder(uri("/api/v1/cs-finance/portfolio/FY2025-Q1")).GET().build());
        assertThat(portfolio.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(portfolio.body());
        // Computed Q1: expansion 800.00 + churn protection 800.00 (AttributionCustomerSuccessTest) + the 120.10 recorded here.
        assertThat(body.get("outcomeValue").decimalValue()).isEqualByComparingTo("1720.10");
        assertThat(body.get("expansionAttributed").decimalValue()).isEqualByComparingTo("920.10");
        assertThat(body.get("from").asText()).isEqualTo("2025-01-01");
    }

    @Test
    void errors_map_to_statuses_with_a_code() throws Exception {
        HttpResponse<String> unknownCustomer = send(HttpRequest.newBuilder(uri("/api/v1/cs-finance/attribute/nobody"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"outcomeType\": \"EXPANSION\", \"amount\": 1, \"currency\": \"USD\", \"outcomeDate\": \"2025-03-01\"}"))
                .build());
        assertThat(unknownCustomer.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownCustomer.body()).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        HttpResponse<String> badJson = send(HttpRequest.newBuilder(uri("/api/v1/cs-finance/attribute/a"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build());
        assertThat(badJson.statusCode()).isEqualTo(400);
        HttpResponse<String> badPeriod = send(HttpRequest.newBuilder(uri("/api/v1/cs-finance/portfolio/last-year")).GET().build());
        assertThat(badPeriod.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badPeriod.body()).at("/error/message").asText()).contains("FY2025-Q1");
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
