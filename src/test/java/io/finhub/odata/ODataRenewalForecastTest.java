package io.finhub.odata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The renewal forecast by contract in the OData feed, over real HTTP, on the forecast_company fixture. */
class ODataRenewalForecastTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
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
    void each_renewal_of_the_forecast_is_a_row_and_the_rows_add_up_to_the_portfolio_forecast() throws Exception {
        JsonNode rows = get("/odata/RenewalForecastByContract?$orderby=Contract").get("value");
        List<String> lines = new ArrayList<>();
        rows.forEach(row -> lines.add("%s %s %s %s %s %s".formatted(row.get("Contract").asText(), row.get("QuarterLabel").asText(),
                row.get("Amount").decimalValue().setScale(2).toPlainString(), row.get("ProbabilitySource").asText(),
                row.get("ModelProbability").decimalValue().stripTrailingZeros().toPlainString(), row.get("ModelExpected").decimalValue().setScale(2).toPlainString())));
        // As of 2025-12-31, the renewals due by the end of FY2026:
        //   the open opportunity, 10,000 USD at its CRM stage probability 0.6 → 6,000.00;
        //   B-1: 20,000 EUR × 1.10 (the as-of rate) = 22,000.00 at 0.5 → 11,000.00;
        //   C-1: no opportunity, twelve months of its 500 MRR = 6,000.00 at the observed renewal rate 1 of 2 = 0.5 → 3,000.00.
        assertThat(lines).containsExactly(
                "A-1 FY2026-Q1 10000.00 CRM_STAGE 0.6 6000.00",
                "B-1 FY2026-Q2 22000.00 CRM_STAGE 0.5 11000.00",
                "C-1 FY2026-Q4 6000.00 HISTORICAL_RATE 0.5 3000.00");

        JsonNode total = post("{ portfolioForecast { total { renewals modelRenewalArr adjustedRenewalArr } } }").at("/data/portfolioForecast/total");
        assertThat(total.get("renewals").asInt()).isEqualTo(rows.size());
        assertThat(total.get("modelRenewalArr").decimalValue()).isEqualByComparingTo("20000.00");
        assertThat(total.get("adjustedRenewalArr").decimalValue()).isEqualByComparingTo("20000.00");

        JsonNode filtered = get("/odata/RenewalForecastByContract?$filter=Segment%20eq%20'ENTERPRISE'&$select=Contract,ModelExpected&$count=true");
        assertThat(filtered.get("@odata.count").asInt()).isEqualTo(1);
        assertThat(filtered.at("/value/0/Contract").asText()).isEqualTo("B-1");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode post(String query) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
