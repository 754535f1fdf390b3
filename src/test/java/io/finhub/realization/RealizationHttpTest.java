package io.finhub.realization;

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

/** The thin REST routes of value realization, through a real HTTP client against a started server. */
class RealizationHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CERTIFY = """
            {"contractId": "k1", "fiscalYear": 2025, "fiscalQuarter": 1, "certifiedBy": "cs.lead",
             "evidence": [{"kind": "QBR_DECK", "reference": "https://drive.example/q1", "description": "customer sign-off"}]}""";
    private static FinhubServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(TestStores.withFixture("realization_contract"), "127.0.0.1", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void get_realization_answers_the_realization_query() throws Exception {
        HttpResponse<String> response = get("/api/v1/cs-finance/realization/k1?asOf=2025-06-30");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/contractId").asText()).isEqualTo("k1");
        // (0.95 + 0.90) / 2 written exactly; 40 150.00 x 30 / 100 unused.
        assertThat(body.at("/current/realizationPct").decimalValue()).isEqualByComparingTo("92.5");
        assertThat(body.at("/current/unusedLicenseValue").decimalValue()).isEqualByComparingTo("12045.00");
        assertThat(body.at("/trajectory").size()).isEqualTo(2);
        assertThat(response.body()).contains("\"committedValue\":40150.00");
    }

    @Test
    void post_certify_creates_once_and_then_conflicts() throws Exception {
        HttpResponse<String> created = post("/api/v1/cs-finance/certify", CERTIFY);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode certification = JSON.readTree(created.body());
        assertThat(certification.at("/revision").asInt()).isEqualTo(1);
        assertThat(certification.at("/realizationPct").decimalValue()).isEqualByComparingTo("87.5");
        assertThat(certification.at("/evidence/0/kind").asText()).isEqualTo("QBR_DECK");

        HttpResponse<String> again = post("/api/v1/cs-finance/certify", CERTIFY);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).at("/error/code").asText()).isEqualTo("ALREADY_CERTIFIED");
    }

    @Test
    void errors_map_to_their_statuses() throws Exception {
        assertThat(get("/api/v1/cs-finance/realization/nope").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/cs-finance/realization/k1?asOf=not-a-date").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/cs-finance/certify", "{not json").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/cs-finance/certify", "{\"contractId\": \"k1\"}").statusCode()).isEqualTo(400);
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
