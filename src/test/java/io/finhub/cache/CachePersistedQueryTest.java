package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheClient.Answer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Automatic persisted queries as Apollo clients speak them, over real HTTP. */
class CachePersistedQueryTest {
    private static FinhubServer server;
    private static CacheClient client;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(TestStores.withFixture("tiny_company"), "127.0.0.1", 0);
        client = new CacheClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Object> persisted(String hash) {
        return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
    }

    @Test
    void an_unknown_hash_is_not_found_until_the_client_sends_its_document_once() {
        String query = "{ apq: metrics(measures: [\"spend\"]) { rows { value(measure: \"spend\") } } }";
        String hash = PersistedQueries.sha256(query);

        Answer unknown = client.post(CacheClient.request(null, null, persisted(hash)), Map.of());
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.errorCode()).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
        assertThat(unknown.json().at("/errors/0/message").asText()).isEqualTo("PersistedQueryNotFound");

        Answer registered = client.post(CacheClient.request(query, null, persisted(hash)), Map.of());
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().at("/data/apq/rows/0/value").decimalValue()).isEqualByComparingTo("1410.00");

        Answer byHashOnly = client.post(CacheClient.request(null, null, persisted(hash)), Map.of());
        assertThat(byHashOnly.body()).isEqualTo(registered.body());
        Answer byGet = client.get(Map.of("extensions", persisted(hash)));
        assertThat(byGet.status()).isEqualTo(200);
        assertThat(byGet.body()).isEqualTo(registered.body());
    }

    @Test
    void a_hash_that_is_not_the_documents_is_refused() {
        String query = "{ dataVersion }";
        Answer mismatch = client.post(CacheClient.request(query, null, persisted(PersistedQueries.sha256("{ catalog { reportingCurrency } }"))), Map.of());
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.errorCode()).isEqualTo("PERSISTED_QUERY_HASH_MISMATCH");
        assertThat(mismatch.json().has("data")).isFalse();
    }

    @Test
    void an_unsupported_version_is_refused() {
        Answer answer = client.post(CacheClient.request("{ dataVersion }", null,
                Map.of("persistedQuery", Map.of("version", 2, "sha256Hash", PersistedQueries.sha256("{ dataVersion }")))), Map.of());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("PERSISTED_QUERY_NOT_SUPPORTED");
    }

    @Test
    void get_by_hash_runs_queries_only() {
        String mutation = "mutation { importRows(input: {dataset: \"fact_spend\", rows: []}) { status } }";
        String hash = PersistedQueries.sha256(mutation);
        assertThat(client.post(CacheClient.request(mutation, null, persisted(hash)), Map.of()).json().at("/data/importRows").isObject()).isTrue();

        Answer byGet = client.get(Map.of("extensions", persisted(hash)));
        assertThat(byGet.status()).isEqualTo(405);
    }
}
