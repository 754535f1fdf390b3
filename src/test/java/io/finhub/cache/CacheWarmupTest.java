package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheClient.Answer;
import io.finhub.security.SecuredServer;
import io.finhub.store.Store;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * After a committed change and its rebuild, the answers asked most are computed again in the
 * background, each with the visibility of the caller who asked it, so the next viewers get them
 * from the cache, with the new figures; over a real server and HTTP client.
 */
class CacheWarmupTest {
    private static final String TOTAL = "{ total: metrics(measures: [\"spend\"]) { rows { spend: value(measure: \"spend\") } } }";
    private static final String BY_CHANNEL = "{ byChannel: metrics(measures: [\"spend\"], dimensions: [\"channel\"]) "
            + "{ rows { channel: dimension(name: \"channel\") spend: value(measure: \"spend\") } } }";
    private static final String REVENUE = "{ revenue: metrics(measures: [\"revenue\"]) { totalCount } }";

    @Test
    void the_most_asked_answers_are_cached_again_with_the_new_figures_after_a_change() throws InterruptedException {
        Store store = TestStores.withFixture("tiny_company");
        try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0, CacheSettings.defaults(store.config()).withWarmAfterChange(2))) {
            CacheClient client = new CacheClient(server);
            // search 1000.00 + 100 EUR x 1.10 + email 300.00 = 1410.00
            assertThat(client.post(TOTAL).json().at("/data/total/rows/0/spend").decimalValue()).isEqualByComparingTo("1410.00");
            client.post(TOTAL);
            client.post(TOTAL);
            assertThat(email(client.post(BY_CHANNEL))).isEqualByComparingTo("300.00");
            client.post(BY_CHANNEL);
            client.post(REVENUE);
            // Asked most of all, but answered with an error: never worth computing again.
            String unknown = "{ metrics(measures: [\"noSuchMeasure\"]) { totalCount } }";
            for (int ask = 0; ask < 5; ask++) {
                assertThat(client.post(unknown).errorCode()).isNotEmpty();
            }

            store.write("test", List.of("fact_spend"), handle -> handle.execute(
                    "INSERT INTO fact_spend VALUES ('sp-late', DATE '2025-04-20', 'mkt', 'email', 'e-q2', NULL, NULL, 'MEDIA', 90.00, 'USD')"));
            awaitWarmed(server, 2);

            Answer total = client.post(TOTAL);
            assertThat(total.cache()).isEqualTo("HIT");
            assertThat(total.json().at("/data/total/rows/0/spend").decimalValue()).isEqualByComparingTo("1500.00");
            Answer byChannel = client.post(BY_CHANNEL);
            assertThat(byChannel.cache()).isEqualTo("HIT");
            assertThat(email(byChannel)).isEqualByComparingTo("390.00");
            // Asked once: not among the two most asked.
            assertThat(client.post(REVENUE).cache()).isEqualTo("MISS");
            assertThat(client.metrics().at("/requests/warmedAfterChange").asLong()).isEqualTo(2);
        }
    }

    @Test
    void an_answer_is_warmed_with_the_visibility_of_its_askers_and_served_to_their_scope_only() throws InterruptedException {
        String spend = "{ metrics(measures: [\"spend\"]) { rows { spend: value(measure: \"spend\") } } }";
        try (SecuredServer secured = SecuredServer.start("security_company", 0, cache -> cache.withWarmAfterChange(1))) {
            String marketing = SecuredServer.marketing();
            assertThat(total(secured.graphql(marketing, spend, Map.of()))).isEqualByComparingTo("1234.56");
            secured.graphql(marketing, spend, Map.of());
            assertThat(total(secured.graphql(SecuredServer.admin(), spend, Map.of()))).isEqualByComparingTo("8734.56");

            secured.server().store().write("test", List.of("fact_spend"), handle -> handle.execute("""
                    INSERT INTO fact_spend VALUES
                        ('sp-new-mkt', DATE '2025-03-01', 'mkt', 'search', 's-q1', NULL, NULL, 'MEDIA', 100.00, 'USD'),
                        ('sp-new-eng', DATE '2025-03-01', 'eng', 'events', 'ev-q1', NULL, NULL, 'MEDIA', 50.00, 'USD')"""));
            awaitWarmed(secured.server(), 1);

            // Warmed as marketing sees it: its new line, not engineering's.
            HttpResponse<String> marketingAfter = secured.graphql(marketing, spend, Map.of());
            assertThat(marketingAfter.headers().firstValue("X-Finhub-Cache")).hasValue("HIT");
            assertThat(total(marketingAfter)).isEqualByComparingTo("1334.56");
            String otherMarketer = SecuredServer.jwt("max-marketing", List.of("financial_data.read"), List.of("marketing"), Optional.empty());
            HttpResponse<String> sameScope = secured.graphql(otherMarketer, spend, Map.of());
            assertThat(sameScope.headers().firstValue("X-Finhub-Cache")).hasValue("HIT");
            assertThat(total(sameScope)).isEqualByComparingTo("1334.56");
            // The admin's question was asked less: computed on demand, with every department.
            HttpResponse<String> adminAfter = secured.graphql(SecuredServer.admin(), spend, Map.of());
            assertThat(adminAfter.headers().firstValue("X-Finhub-Cache")).hasValue("MISS");
            assertThat(total(adminAfter)).isEqualByComparingTo("8884.56");
        }
    }

    private static java.math.BigDecimal email(Answer answer) {
        for (JsonNode row : answer.json().at("/data/byChannel/rows")) {
            if (row.path("channel").asText().equals("email")) {
                return row.path("spend").decimalValue();
            }
        }
        throw new AssertionError("no email row in " + answer.body());
    }

    private static java.math.BigDecimal total(HttpResponse<String> response) {
        return SecuredServer.json(response.body()).at("/data/metrics/rows/0/spend").decimalValue();
    }

    /** Waits (a minute at most) until the background warm-up after the change has cached {@code answers} answers. */
    private static void awaitWarmed(FinhubServer server, long answers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (warmed(server) < answers && System.nanoTime() < deadline) {
            server.awaitBackgroundBuilds(Duration.ofSeconds(5));
            // The rebuild after a change is queued 250 ms after it: poll until then rather than spin.
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        assertThat(warmed(server)).as("answers warmed after the change").isEqualTo(answers);
    }

    private static long warmed(FinhubServer server) {
        return ((Map<?, ?>) server.responses().metrics().get("requests")).get("warmedAfterChange") instanceof Number number ? number.longValue() : -1;
    }
}
