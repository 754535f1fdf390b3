package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /metrics reports what the cache did, counted by hand in each test. */
class CacheMetricsTest {
    private FinhubServer server;
    private CacheClient client;

    @BeforeEach
    void start() {
        server = FinhubServer.start(TestStores.withFixture("tiny_company"), "127.0.0.1", 0);
        client = new CacheClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void hits_misses_ratio_and_size_after_two_documents() {
        String spend = "{ metrics(measures: [\"spend\"]) { totalCount } }";
        String revenue = "{ metrics(measures: [\"revenue\"]) { totalCount } }";
        int spendBytes = client.post(spend).body().length();
        client.post(spend);
        client.post(spend);
        client.post(revenue);
        client.post("{ alertRules { id } }");

        JsonNode metrics = client.metrics();
        // Lookups: spend miss, hit, hit; revenue miss. The alert rules bypass the cache.
        assertThat(metrics.at("/resultCache/hits").asLong()).isEqualTo(2);
        assertThat(metrics.at("/resultCache/misses").asLong()).isEqualTo(2);
        assertThat(metrics.at("/resultCache/hitRatio").asDouble()).isEqualTo(0.5);
        assertThat(metrics.at("/resultCache/entries").asLong()).isEqualTo(2);
        assertThat(metrics.at("/resultCache/weightBytes").asLong()).isGreaterThan(2L * spendBytes);
        assertThat(metrics.at("/resultCache/evictions").asLong()).isZero();
        assertThat(metrics.at("/requests/hit").asLong()).isEqualTo(2);
        assertThat(metrics.at("/requests/miss").asLong()).isEqualTo(2);
        assertThat(metrics.at("/requests/bypass").asLong()).isEqualTo(1);
        assertThat(metrics.at("/diskTier/enabled").asBoolean(true)).isFalse();

        assertThat(client.prometheusMetrics())
                .contains("finhub_result_cache_hits 2\n")
                .contains("finhub_result_cache_misses 2\n")
                .contains("finhub_result_cache_hit_ratio 0.5\n")
                .contains("# TYPE finhub_result_cache_entries gauge\n");
    }

    @Test
    void a_full_cache_evicts_by_weight() {
        server.close();
        server = FinhubServer.start(TestStores.withFixture("tiny_company"), "127.0.0.1", 0,
                CacheSettings.defaults(io.finhub.store.StoreConfig.inMemory()).withResultCacheBytes(4_000));
        client = new CacheClient(server);
        for (int page = 0; page < 40; page++) {
            client.post("{ metrics(measures: [\"spend\"], dimensions: [\"channel\"], offset: " + page + ") { rows { value(measure: \"spend\") } } }");
        }
        JsonNode metrics = client.metrics();
        assertThat(metrics.at("/resultCache/weightBytes").asLong()).isLessThanOrEqualTo(4_000);
        assertThat(metrics.at("/resultCache/evictions").asLong()).isPositive();
        assertThat(metrics.at("/resultCache/entries").asLong()).isLessThan(40);
    }
}
