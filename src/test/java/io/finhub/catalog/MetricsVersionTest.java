package io.finhub.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.TestStores;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A metrics answer is read at one data version: a change committed between bringing a derived fact up
 * to date and reading it does not join the new live facts with the derived ones of the version before.
 * The derived fact here is a copy of the spend, rebuilt by its refresh when the data version moved; the
 * refresh itself commits a change the first times it runs, as a concurrent import would.
 */
class MetricsVersionTest {

    @Test
    void a_change_committed_between_refresh_and_read_is_read_again_at_one_version() {
        try (Store store = TestStores.withFixture("tiny_company")) {
            AtomicInteger refreshes = new AtomicInteger();
            MetricsService metrics = new MetricsService(store, catalog(store, refreshes, 1));
            long before = store.dataVersion();

            MetricsResult result = metrics.query(MetricsRequest.of(List.of("spend", "copiedSpend"), List.of()));

            // The fixture's spend is 1000.00 USD + 100.00 EUR x 1.10 + 300.00 USD = 1410.00; the change adds 50.00 USD: 1460.00.
            // Read without checking the version, the copy (built before the change) said 1410.00 beside a live 1460.00.
            assertThat(result.dataVersion()).isEqualTo(before + 1);
            assertThat(result.rows()).singleElement().satisfies(row -> {
                assertThat(row.measures().get("spend")).isEqualByComparingTo("1460.00");
                assertThat(row.measures().get("copiedSpend")).isEqualByComparingTo("1460.00");
            });
            assertThat(refreshes).hasValue(2);
        }
    }

    @Test
    void changes_that_keep_committing_give_a_clear_error() {
        try (Store store = TestStores.withFixture("tiny_company")) {
            MetricsService metrics = new MetricsService(store, catalog(store, new AtomicInteger(), MetricsService.MAX_ATTEMPTS));

            assertThatThrownBy(() -> metrics.query(MetricsRequest.of(List.of("copiedSpend"), List.of())))
                    .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_CHANGING))
                    .hasMessageContaining("the data changed 5 times");
        }
    }

    /** The standard catalog and a derived copy of the spend whose refresh commits a spend line of 50.00 USD on each of its first {@code changes} runs. */
    private static Catalog catalog(Store store, AtomicInteger refreshes, int changes) {
        long[] builtAt = {-1};
        Runnable refresh = () -> {
            int run = refreshes.incrementAndGet();
            long version = store.dataVersion();
            if (builtAt[0] != version) {
                store.jdbi().useHandle(handle -> handle.execute("CREATE OR REPLACE TABLE spend_copy AS SELECT * FROM fact_spend"));
                builtAt[0] = version;
            }
            if (run <= changes) {
                store.write("concurrent import", List.of("fact_spend"), handle -> handle.execute(
                        "INSERT INTO fact_spend VALUES ('late" + run + "', DATE '2025-05-01', 'mkt', 'email', 'e-q2', NULL, NULL, 'MEDIA', 50.00, 'USD')"));
            }
        };
        return StandardCatalog.create()
                .addFact(new Fact("spendCopy", "A derived copy of the spend.", "spend_copy f", "spend_date", Optional.of("f.amount"),
                        Optional.of("f.currency_code"), Map.of(), Optional.empty(), Optional.of(refresh)))
                .addMeasure(Measure.base("copiedSpend", "The copy's spend.", Unit.CURRENCY, "spendCopy", "sum($money)"));
    }
}
