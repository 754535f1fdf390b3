package io.finhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real HTTP client against a started server, following the GraphQL-over-HTTP spec. */
class HttpEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEND_BY_CHANNEL = "{ metrics(measures: [\"spend\"], dimensions: [\"channel\"]) { rows { channel: dimension(name: \"channel\") spend: value(measure: \"spend\") } } }";
    private static FinhubServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(TestStores.withFixture("tiny_company"), "127.0.0.1", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void post_answers_a_query_with_exact_decimals() throws Exception {
        HttpResponse<String> response = post(body(SPEND_BY_CHANNEL), "application/graphql-response+json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/graphql-response+json"));
        // email 300.00; search 1000.00 + 100 EUR × 1.10 = 1110.00, written as exact decimals.
        assertThat(response.body()).contains("\"channel\":\"email\",\"spend\":300.00").contains("\"channel\":\"search\",\"spend\":1110.00");
    }

    @Test
    void get_answers_queries_with_variables_and_operation_name() throws Exception {
        String query = "query Other { dataVersion } query Named($measure: String!) { metrics(measures: [$measure]) { rows { value(measure: \"spend\") } } }";
        HttpResponse<String> response = get("query=" + encode(query) + "&operationName=Named&variables=" + encode("{\"measure\":\"spend\"}"), "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/data/metrics/rows/0/value").decimalValue()).isEqualByComparingTo("1410.00");
    }

    @Test
    void get_refuses_mutations() throws Exception {
        HttpResponse<String> response = get("query=" + encode("mutation { anything }"), "application/graphql-response+json");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void request_errors_are_400_with_graphql_response_json_and_200_with_json() throws Exception {
        String invalid = body("{ metrics(measures: [\"spend\"]) { nonsense } }");
        HttpResponse<String> strict = post(invalid, "application/graphql-response+json");
        assertThat(strict.statusCode()).isEqualTo(400);
        JsonNode strictBody = JSON.readTree(strict.body());
        assertThat(strictBody.has("data")).isFalse();
        assertThat(strictBody.at("/errors/0/extensions/code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");

        HttpResponse<String> legacy = post(invalid, "application/json");
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(legacy.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));

        HttpResponse<String> unparsable = post(body("{ metrics(measures: [\"spend\"]) { rows { period "), "application/graphql-response+json");
        assertThat(unparsable.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unparsable.body()).at("/errors/0/extensions/code").asText()).isEqualTo("GRAPHQL_PARSE_FAILED");
        assertThat(post("{not json", "application/graphql-response+json").statusCode()).isEqualTo(400);
        assertThat(post("{\"variables\": {}}", "application/graphql-response+json").statusCode()).isEqualTo(400);
    }

    @Test
    void a_subscription_over_http_is_refused_with_400_pointing_to_the_websocket() throws Exception {
        HttpResponse<String> response = post(body("subscription { alerts { id } }"), "application/json");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).at("/errors/0");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.at("/message").asText()).contains("WebSocket");
    }

    @Test
    void a_body_that_is_the_json_null_is_400_not_an_object() throws Exception {
        HttpResponse<String> response = post("null", "application/graphql-response+json");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).at("/errors/0");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.at("/message").asText()).contains("not a JSON object");
    }

    @Test
    void field_errors_keep_status_200_and_carry_a_code_but_no_internals() throws Exception {
        HttpResponse<String> response = post(body("{ metrics(measures: [\"spend\"], dimensions: [\"segment\"]) { totalCount } }"), "application/graphql-response+json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode error = JSON.readTree(response.body()).at("/errors/0");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("DIMENSION_NOT_ALLOWED");
        assertThat(error.at("/message").asText()).contains("'segment'");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("SELECT").doesNotContain("at io.finhub");
    }

    @Test
    void unsupported_media_types_are_refused() throws Exception {
        HttpRequest plainText = HttpRequest.newBuilder(uri("/graphql")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body(SPEND_BY_CHANNEL))).build();
        assertThat(client.send(plainText, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        assertThat(post(body(SPEND_BY_CHANNEL), "text/html").statusCode()).isEqualTo(406);
        // q=0 is "not acceptable" (RFC 9110 12.4.2): it once counted as naming the type.
        assertThat(post(body(SPEND_BY_CHANNEL), "application/json;q=0").statusCode()).isEqualTo(406);
        HttpResponse<String> json = post(body(SPEND_BY_CHANNEL), "application/graphql-response+json;q=0, application/json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void the_answer_takes_the_media_type_of_higher_quality() {
        assertThat(HttpServer.mediaType(null)).isEqualTo("application/json");
        assertThat(HttpServer.mediaType("*/*")).isEqualTo("application/json");
        // As GraphQL over HTTP asks clients to send it: the new type first.
        assertThat(HttpServer.mediaType("application/graphql-response+json, application/json;q=0.9")).isEqualTo("application/graphql-response+json");
        assertThat(HttpServer.mediaType("application/json, application/graphql-response+json")).isEqualTo("application/graphql-response+json");
        assertThat(HttpServer.mediaType("application/graphql-response+json;q=0.5, application/json")).isEqualTo("application/json");
        assertThat(HttpServer.mediaType("application/json;q=0, */*")).isEqualTo("application/graphql-response+json");
        assertThat(HttpServer.mediaType("application/*;q=0.2, text/html")).isEqualTo("application/json");
        assertThat(HttpServer.mediaType("application/json;q=0")).isNull();
        assertThat(HttpServer.mediaType("text/html")).isNull();
    }

    @Test
    void health_reports_store_and_data_version() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("dataVersion").asLong()).isEqualTo(1);
    }

    @Test
    void graphiql_is_served_from_the_jar_without_a_cdn() throws Exception {
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(uri("/graphiql")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("https://");
        for (String asset : new String[] {"/webjars/graphiql/2.4.7/graphiql.min.js", "/webjars/graphiql/2.4.7/graphiql.min.css",
                "/webjars/react/18.3.1/umd/react.production.min.js", "/webjars/react-dom/18.3.1/umd/react-dom.production.min.js"}) {
            assertThat(page.body()).contains(asset);
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri(asset)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
        }
    }

    private static String body(String query) throws IOException {
        return JSON.writeValueAsString(java.util.Map.of("query", query));
    }

    private static HttpResponse<String> post(String body, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/graphql"))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String parameters, String accept) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/graphql?" + parameters)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
