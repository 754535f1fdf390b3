package io.finhub.ingest;

import static io.finhub.ingest.IngestFixtures.count;
import static io.finhub.ingest.IngestFixtures.gzip;
import static io.finhub.ingest.IngestFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /import/{dataset}, POST /import/singer/{preset} and the importRows mutation, through a real HTTP client against a started server. */
class IngestHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEND = """
            spend_id,spend_date,department_id,channel_id,campaign_id,cost_type,amount,currency_code
            sp10,2025-03-03,mkt,search,s-q1,MEDIA,250.00,USD
            sp11,2025-03-04,mkt,email,,CREATIVE,99.90,EUR
            """;

    private FinhubServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = FinhubServer.start(IngestFixtures.tinyCompany(), "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void an_uploaded_csv_is_imported_and_a_retry_changes_nothing() throws Exception {
        HttpResponse<String> response = post("/import/fact_spend", "text/csv", SPEND);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("COMMITTED");
        assertThat(body.get("rowCount").asLong()).isEqualTo(2);
        assertThat(count(server.store(), "SELECT count(*) FROM fact_spend")).isEqualTo(3 + 2);
        assertThat(count(server.store(), "SELECT count(*) FROM finhub_ingest_batch WHERE actor = 'http:127.0.0.1'")).isEqualTo(1);

        HttpResponse<String> retry = post("/import/fact_spend", "text/csv", SPEND);
        assertThat(JSON.readTree(retry.body()).get("status").asText()).isEqualTo("ALREADY_IMPORTED");
        assertThat(count(server.store(), "SELECT count(*) FROM fact_spend")).isEqualTo(5);
    }

    /**
     * The body is gzip, whatever the request says about it: text/csv, or ?format=csv as
     * {@code finhub import --server} sends for a .csv.gz file. Before, the upload was read as plain text
     * and rejected (every required column missing, unknown column column0).
     */
    @Test
    void a_gzipped_upload_is_decompressed() throws Exception {
        HttpResponse<String> csv = post("/import/fact_spend", "text/csv", gzip(SPEND));
        HttpResponse<String> jsonLines = post("/import/fact_spend?format=jsonl&filename=spend.jsonl.gz", "application/octet-stream", gzip("""
                {"spend_id": "sp12", "spend_date": "2025-03-05", "department_id": "mkt", "cost_type": "MEDIA", "amount": "0.10", "currency_code": "USD"}
                """));

        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(JSON.readTree(csv.body()).get("rowCount").asLong()).isEqualTo(2);
        assertThat(jsonLines.statusCode()).as(jsonLines.body()).isEqualTo(200);
        assertThat(JSON.readTree(jsonLines.body()).get("rowCount").asLong()).isEqualTo(1);
        // The three rows sent: 250.00 + 99.90 + 0.10 = 350.00.
        assertThat(rows(server.store(), "SELECT count(*) AS n, sum(amount) AS total FROM fact_spend WHERE spend_id IN ('sp10', 'sp11', 'sp12')"))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("n")).isEqualTo(3L);
                    assertThat((BigDecimal) row.get("total")).isEqualByComparingTo("350.00");
                });
    }

    @Test
    void a_rejected_upload_is_422_with_every_problem() throws Exception {
        HttpResponse<String> response = post("/import/fact_spend", "text/csv", """
                spend_id,spend_date,department_id,cost_type,amount,currency_code
                sp20,2025-03-03,mkt,MEDIA,ten,USD
                sp21,2025-03-04,ops,TRAVEL,5.00,USD
                """);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(error.get("problemCount").asLong()).isEqualTo(3);
        assertThat(error.get("problems")).extracting(problem -> problem.get("row").asLong() + " " + problem.get("column").asText())
                .containsExactly("1 amount", "2 department_id", "2 cost_type");
        assertThat(count(server.store(), "SELECT count(*) FROM fact_spend")).isEqualTo(3);
    }

    @Test
    void an_unknown_dataset_or_format_is_a_clear_error() throws Exception {
        HttpResponse<String> unknown = post("/import/fact_nothing", "text/csv", SPEND);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/code").asText()).isEqualTo("NOT_FOUND");

        HttpResponse<String> noFormat = post("/import/fact_spend", "application/octet-stream", SPEND);
        assertThat(noFormat.statusCode()).isEqualTo(415);
    }

    @Test
    void a_singer_stream_can_be_uploaded() throws Exception {
        String stream = new String(getClass().getClassLoader().getResourceAsStream("singer/hubspot.jsonl").readAllBytes());

        HttpResponse<String> response = post("/import/singer/hubspot?param=product_id=core", "application/x-ndjson", stream);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("COMMITTED");
        assertThat(body.get("singerState").asText()).contains("2025-03-03T11:05:00.000Z");
        assertThat(count(server.store(), "SELECT count(*) FROM fact_conversion")).isEqualTo(3 + 2);
    }

    @Test
    void the_import_rows_mutation_writes_a_small_batch_or_lists_its_problems() throws Exception {
        String mutation = "mutation Import($input: ImportRowsInput!) { importRows(input: $input) { status rowCount dataVersion"
                + " datasets { dataset mode inserted } problems { row column value reason } problemCount } }";
        Map<String, Object> good = Map.of("dataset", "dim_product", "rows", List.of(
                Map.of("product_id", "insights", "product_name", "Insights", "product_family", "Analytics", "launch_date", "2025-01-15")));
        Map<String, Object> bad = Map.of("dataset", "fact_health_score", "mode", "APPEND", "rows", List.of(
                Map.of("customer_id", "c1", "scored_on", "2025-03-01", "health_score", 101, "risk_band", "HEALTHY")));

        JsonNode committed = graphql(mutation, good).at("/data/importRows");
        assertThat(committed.get("status").asText()).isEqualTo("COMMITTED");
        assertThat(committed.at("/datasets/0/mode").asText()).isEqualTo("UPSERT");
        assertThat(committed.get("dataVersion").asLong()).isEqualTo(server.store().dataVersion());
        assertThat(count(server.store(), "SELECT count(*) FROM dim_product WHERE product_id = 'insights'")).isEqualTo(1);

        JsonNode rejected = graphql(mutation, bad).at("/data/importRows");
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.at("/problems/0/row").asLong()).isEqualTo(1);
        assertThat(rejected.at("/problems/0/column").asText()).isEqualTo("health_score");
        assertThat(rejected.at("/problems/0/value").asText()).isEqualTo("101");

        JsonNode batches = graphql("{ importBatches(limit: 5) { actor source rowCount datasets { dataset } } datasets { name key } }", null).get("data");
        assertThat(batches.at("/importBatches/0/actor").asText()).isEqualTo("graphql");
        assertThat(batches.at("/importBatches/0/datasets/0/dataset").asText()).isEqualTo("dim_product");
        assertThat(batches.get("datasets")).anySatisfy(dataset -> {
            assertThat(dataset.get("name").asText()).isEqualTo("fact_fx_rate");
            assertThat(dataset.get("key")).extracting(JsonNode::asText).containsExactly("rate_date", "from_currency", "to_currency");
        });
    }

    private JsonNode graphql(String query, Map<String, Object> input) throws Exception {
        Map<String, Object> body = input == null ? Map.of("query", query) : Map.of("query", query, "variables", Map.of("input", input));
        HttpResponse<String> response = post("/graphql", "application/json", JSON.writeValueAsString(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.has("errors")).as(response.body()).isFalse();
        return answer;
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
