package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheClient.Answer;
import io.finhub.store.Store;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-request timeout cancels the running DuckDB statement: a query made deliberately slow (the
 * channel table replaced by a view that first counts a cross join of 10^11 rows, minutes of work)
 * answers TIMEOUT soon after the limit, and the store keeps answering afterwards.
 */
class CacheTimeoutTest {
    private static final Duration LIMIT = Duration.ofMillis(500);
    private static Store store;
    private static FinhubServer server;
    private static CacheClient client;

    @BeforeAll
    static void start() {
        store = TestStores.withFixture("tiny_company");
        store.jdbi().useHandle(handle -> handle.createScript("""
                CREATE TABLE dim_channel_fast AS SELECT * FROM dim_channel;
                DROP TABLE dim_channel;
                CREATE VIEW dim_channel AS SELECT * FROM dim_channel_fast
                WHERE (SELECT count(*) FROM range(1000000) a, range(100000) b WHERE hash(a.range * 100003 + b.range) % 1000 = 7) >= 0;
                """).execute());
        server = FinhubServer.start(store, "127.0.0.1", 0, CacheSettings.defaults(store.config()).withQueryTimeout(LIMIT));
        client = new CacheClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_slow_query_is_cancelled_and_answers_timeout_and_the_store_stays_usable() {
        long started = System.nanoTime();
        Answer slow = client.post("{ metrics(measures: [\"spend\"], dimensions: [\"channelGroup\"]) { totalCount } }");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(slow.status()).isEqualTo(504);
        assertThat(slow.errorCode()).isEqualTo("TIMEOUT");
        assertThat(slow.json().has("data")).isFalse();
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(client.metrics().at("/requests/cancelledStatements").asLong()).isPositive();
        assertThat(client.metrics().at("/requests/timedOut").asLong()).isEqualTo(1);

        // Marketing media budget: January 500.00 + February 800.00, engineering February 4000.00.
        Answer after = client.post("{ metrics(measures: [\"budget\"]) { rows { value(measure: \"budget\") } } }");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().at("/data/metrics/rows/0/value").decimalValue()).isEqualByComparingTo("5300.00");
        long channels = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM dim_channel_fast").mapTo(Long.class).one());
        assertThat(channels).isEqualTo(2);
    }

    @Test
    void a_timed_out_answer_is_not_cached() {
        String query = "{ again: metrics(measures: [\"spend\"], dimensions: [\"channelGroup\"]) { totalCount } }";
        assertThat(client.post(query).errorCode()).isEqualTo("TIMEOUT");
        Answer second = client.post(query);
        assertThat(second.errorCode()).isEqualTo("TIMEOUT");
        assertThat(second.cache()).isEqualTo("MISS");
    }
}
