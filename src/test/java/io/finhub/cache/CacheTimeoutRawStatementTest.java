package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.cache.CacheClient.Answer;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import io.finhub.support.SqlScripts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-request timeout also cancels the statements that run outside Jdbi: an attribution with its
 * own lookback and half-life is computed on the spot by DuckDB SQL sent straight to the JDBC
 * connection (staging the paths, then each model's credits). The same request is timed once on a
 * server whose limit it cannot reach and once on a server with a short limit, over the same generated
 * journeys: the limited one answers TIMEOUT well before the whole computation could have finished,
 * having cancelled the running statement in DuckDB, and stores no half-computed build.
 */
class CacheTimeoutRawStatementTest {
    /** The shortest limit the test sets (the whole computation took 1.2 to 6.2 s on the 2-core machine). */
    private static final Duration SHORTEST_LIMIT = Duration.ofMillis(50);
    private static final Duration NO_LIMIT = Duration.ofMinutes(10);
    private static final String ATTRIBUTION = """
            { attribution(models: [FIRST_TOUCH, LAST_TOUCH, LINEAR, TIME_DECAY, POSITION_BASED, MARKOV, SHAPLEY], lookbackDays: 78, halfLifeDays: 3) {
                attributableRevenue } }""";
    /**
     * 6,000 journeys of 8 touches, one a day over the four channels in turn (days 0 to 7 before the
     * conversion, all within the 78-day lookback), each converting for 10.00 USD: 48,000 touches.
     */
    private static final String JOURNEYS = """
            INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
            INSERT INTO dim_channel VALUES
                ('search', 'Paid search', 'PAID'), ('email', 'Email', 'OWNED'), ('social', 'Paid social', 'PAID'), ('webinar', 'Webinar', 'OWNED');
            INSERT INTO dim_department VALUES ('mkt', 'Marketing', 'CC100', 'MARKETING');
            INSERT INTO dim_product VALUES ('core', 'Core', 'Platform', DATE '2020-01-01');
            INSERT INTO dim_customer
            SELECT 'c' || range, 'Customer ' || range, 'SMB', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2025-01-01' FROM range(6000);
            INSERT INTO fact_touchpoint
            SELECT 't' || j.range || '-' || t.range, 'j' || j.range, 'c' || j.range, 'l' || j.range,
                   ['search', 'email', 'social', 'webinar'][1 + (j.range + t.range) % 4], NULL,
                   TIMESTAMP '2025-01-01 12:00:00' + INTERVAL (j.range % 300) DAY - INTERVAL (7 - t.range) DAY
            FROM range(6000) j, range(8) t;
            INSERT INTO fact_conversion
            SELECT 'd' || range, 'j' || range, 'c' || range, 'core', 'NEW_BUSINESS',
                   TIMESTAMP '2025-01-01 12:00:00' + INTERVAL (range % 300) DAY + INTERVAL 1 HOUR, 10.00, 'USD'
            FROM range(6000);
            """;

    @Test
    void an_attribution_computed_on_the_spot_is_cancelled_at_the_deadline() throws Exception {
        Duration uncancelled;
        try (FinhubServer server = started(NO_LIMIT)) {
            long started = System.nanoTime();
            Answer whole = new CacheClient(server).post(ATTRIBUTION);
            uncancelled = Duration.ofNanos(System.nanoTime() - started);
            assertThat(whole.status()).isEqualTo(200);
            // Every conversion has touches 1 hour to 7 days 1 hour before it: 6,000 x 10.00 USD, all attributable.
            assertThat(whole.json().at("/data/attribution/attributableRevenue").decimalValue()).isEqualByComparingTo("60000.00");
        }
        // The limit is an eighth of what the whole computation took here, so the test means the same on a fast and a slow machine.
        Duration limit = uncancelled.dividedBy(8);
        assertThat(limit).as("the whole computation must outlast the limit by far for the test to mean anything").isGreaterThan(SHORTEST_LIMIT);

        Store store = journeys();
        try (FinhubServer server = started(store, limit)) {
            CacheClient client = new CacheClient(server);
            long started = System.nanoTime();
            Answer limited = client.post(ATTRIBUTION);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(limited.status()).isEqualTo(504);
            assertThat(limited.errorCode()).isEqualTo("TIMEOUT");
            // Stopped, not left to finish: the deadline cancels the statement running then (or, landing between two, the
            // next one is refused, which the counter does not count), so the answer comes long before the whole computation.
            assertThat(took).isLessThan(uncancelled.dividedBy(2));
            long stored = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM attribution_build WHERE lookback_days = 78")
                    .mapTo(Long.class)
                    .one());
            assertThat(stored).isZero();

            // The store keeps answering: the cancelled statement's connection closed with its request.
            long conversions = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM fact_conversion").mapTo(Long.class).one());
            assertThat(conversions).isEqualTo(6000);
        }
    }

    private static FinhubServer started(Duration limit) throws InterruptedException {
        return started(journeys(), limit);
    }

    /** A server whose own background builds (the default attribution among them) are done, so only the request is timed. */
    private static FinhubServer started(Store store, Duration limit) throws InterruptedException {
        FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0, CacheSettings.defaults(store.config()).withQueryTimeout(limit));
        assertThat(server.awaitBackgroundBuilds(Duration.ofMinutes(5))).isTrue();
        return server;
    }

    private static Store journeys() {
        Store store = Store.open(StoreConfig.inMemory());
        store.write("fixture:generated-journeys", List.of("fixture"), handle -> SqlScripts.execute(handle, JOURNEYS));
        return store;
    }
}
