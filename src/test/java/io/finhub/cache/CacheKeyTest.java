package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheClient.Answer;
import io.finhub.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What makes two requests share a cached answer, through a real HTTP client against a started server. */
class CacheKeyTest {
    private static final String BY_VARIABLES = "query Spend($measure: String!, $dimensions: [String!]) "
            + "{ metrics(measures: [$measure], dimensions: $dimensions) { rows { value(measure: $measure) } } }";
    private static Store store;
    private static FinhubServer server;
    private static CacheClient client;

    @BeforeAll
    static void start() {
        store = TestStores.withFixture("tiny_company");
        AccessScope byHeader = context -> Optional.ofNullable(context.header("X-Test-Scope")).orElse("public");
        server = FinhubServer.start(store, "127.0.0.1", 0, CacheSettings.defaults(store.config()), byHeader);
        client = new CacheClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_same_normalised_document_is_answered_from_the_cache_with_the_same_bytes() {
        Answer first = client.post("{ first: metrics(measures: [\"spend\"]) { totalCount } }");
        Answer second = client.post("{ first: metrics(measures: [\"spend\"]) { totalCount } }");
        Answer reformatted = client.post("query {\n  first: metrics(measures: [\"spend\"]) {\n    totalCount\n  }\n}");
        assertThat(first.cache()).isEqualTo("MISS");
        assertThat(second.cache()).isEqualTo("HIT");
        assertThat(reformatted.cache()).isEqualTo("HIT");
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void server_timing_says_where_each_answer_came_from_and_how_long_the_server_took() {
        String query = "{ timed: metrics(measures: [\"spend\"], dimensions: [\"channel\"]) { totalCount } }";
        Answer miss = client.post(query);
        Answer hit = client.post(query);
        java.util.regex.Pattern format = java.util.regex.Pattern.compile("cache;desc=\"(HIT|MISS)\", answer;dur=(\\d+\\.\\d{3})");
        java.util.regex.Matcher missTiming = format.matcher(miss.serverTiming());
        java.util.regex.Matcher hitTiming = format.matcher(hit.serverTiming());
        assertThat(missTiming.matches()).as(miss.serverTiming()).isTrue();
        assertThat(hitTiming.matches()).as(hit.serverTiming()).isTrue();
        assertThat(missTiming.group(1)).isEqualTo("MISS");
        assertThat(hitTiming.group(1)).isEqualTo("HIT");
        // A hit neither executes nor serializes: it takes less time than the execution it replays.
        assertThat(new java.math.BigDecimal(hitTiming.group(2))).isLessThan(new java.math.BigDecimal(missTiming.group(2)));
    }

    @Test
    void different_variables_are_different_entries_whatever_their_order() {
        Map<String, Object> spend = new LinkedHashMap<>();
        spend.put("measure", "spend");
        spend.put("dimensions", List.of("channel"));
        Map<String, Object> spendReordered = new LinkedHashMap<>();
        spendReordered.put("dimensions", List.of("channel"));
        spendReordered.put("measure", "spend");

        assertThat(client.post(BY_VARIABLES, spend).cache()).isEqualTo("MISS");
        assertThat(client.post(BY_VARIABLES, Map.of("measure", "revenue", "dimensions", List.of("channel"))).cache()).isEqualTo("MISS");
        assertThat(client.post(BY_VARIABLES, Map.of("measure", "spend", "dimensions", List.of())).cache()).isEqualTo("MISS");
        assertThat(client.post(BY_VARIABLES, spendReordered).cache()).isEqualTo("HIT");
    }

    @Test
    void callers_of_different_scopes_never_share_an_answer() {
        Map<String, Object> body = CacheClient.request("{ scoped: metrics(measures: [\"spend\"]) { totalCount } }", null, null);
        assertThat(client.post(body, Map.of("X-Test-Scope", "finance")).cache()).isEqualTo("MISS");
        assertThat(client.post(body, Map.of("X-Test-Scope", "marketing")).cache()).isEqualTo("MISS");
        assertThat(client.post(body, Map.of("X-Test-Scope", "finance")).cache()).isEqualTo("HIT");
        assertThat(client.post(body, Map.of("X-Test-Scope", "marketing")).cache()).isEqualTo("HIT");
    }

    @Test
    void a_committed_change_is_a_new_key_so_no_answer_is_stale() {
        String total = "{ total: metrics(measures: [\"spend\"]) { rows { spend: value(measure: \"spend\") } } }";
        // search 1000.00 + 100 EUR x 1.10 + email 300.00 = 1410.00
        assertThat(client.post(total).json().at("/data/total/rows/0/spend").decimalValue()).isEqualByComparingTo("1410.00");
        assertThat(client.post(total).cache()).isEqualTo("HIT");

        store.write("test", List.of("fact_spend"), handle -> handle.execute(
                "INSERT INTO fact_spend VALUES ('sp-late', DATE '2025-04-20', 'mkt', 'email', 'e-q2', NULL, NULL, 'MEDIA', 90.00, 'USD')"));

        Answer after = client.post(total);
        assertThat(after.cache()).isEqualTo("MISS");
        assertThat(after.json().at("/data/total/rows/0/spend").decimalValue()).isEqualByComparingTo("1500.00");
        assertThat(client.post(total).cache()).isEqualTo("HIT");
        assertThat(client.metrics().at("/resultCache/entries").asLong()).isEqualTo(1);
    }

    @Test
    void answers_with_errors_mutations_and_operational_fields_are_never_cached() {
        String notAllowed = "{ metrics(measures: [\"spend\"], dimensions: [\"segment\"]) { totalCount } }";
        assertThat(client.post(notAllowed).errorCode()).isEqualTo("DIMENSION_NOT_ALLOWED");
        assertThat(client.post(notAllowed).cache()).isEqualTo("MISS");

        String mutation = "mutation { importRows(input: {dataset: \"fact_spend\", rows: []}) { status } }";
        assertThat(client.post(mutation).cache()).isEqualTo("BYPASS");
        assertThat(client.post(mutation).cache()).isEqualTo("BYPASS");

        assertThat(client.post("{ alertRules { id } }").cache()).isEqualTo("BYPASS");
        assertThat(client.post("{ dataVersion alertRules { id } }").cache()).isEqualTo("BYPASS");
    }
}
