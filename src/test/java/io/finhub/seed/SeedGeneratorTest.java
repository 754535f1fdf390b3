package io.finhub.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the generator behaves: determinism, refusal to overwrite, what it reports. */
class SeedGeneratorTest {
    private static Store store;
    private static SeedSummary summary;
    private static final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void seedDemoCompany() {
        store = Store.open(StoreConfig.inMemory());
        summary = new SeedGenerator(store).generate(Scale.DEMO, progress::add);
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Test
    void seeding_twice_gives_identical_rows_whatever_the_thread_count() {
        StoreConfig singleThreaded = new StoreConfig(Optional.empty(), "2GB", 1, 1, "USD");
        try (Store other = Store.open(singleThreaded)) {
            new SeedGenerator(other).generate(Scale.DEMO, line -> {});
            assertThat(fingerprints(other)).isEqualTo(fingerprints(store));
        }
    }

    @Test
    void refuses_to_seed_a_store_that_already_holds_data() {
        long versionBefore = store.dataVersion();
        assertThatThrownBy(() -> new SeedGenerator(store).generate(Scale.DEMO, line -> {}))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("already holds data");
        assertThat(store.dataVersion()).isEqualTo(versionBefore);
        assertThat(summary.rowCounts()).isEqualTo(rowCounts(store));
    }

    @Test
    void the_seed_is_recorded_as_a_data_change() {
        assertThat(summary.dataVersion()).isEqualTo(store.dataVersion()).isPositive();
        String source = store.jdbi().withHandle(handle -> handle
                .createQuery("SELECT source FROM finhub_data_version WHERE version = :version")
                .bind("version", summary.dataVersion())
                .mapTo(String.class)
                .one());
        assertThat(source).isEqualTo("seed:DEMO");
    }

    @Test
    void summary_counts_every_seeded_table() {
        assertThat(summary.scale()).isEqualTo(Scale.DEMO);
        assertThat(summary.rowCounts()).containsOnlyKeys(SeedGenerator.TABLES);
        assertThat(summary.rowCounts()).isEqualTo(rowCounts(store));
        assertThat(summary.rowCounts().values()).allSatisfy(count -> assertThat(count).isPositive());
        assertThat(summary.rowCounts().get("fact_touchpoint")).isBetween(250_000L, 350_000L);
        assertThat(summary.rowCounts().get("dim_channel")).isEqualTo(10L);
    }

    @Test
    void progress_reports_each_step_with_its_rows_and_time() {
        assertThat(progress).isNotEmpty();
        assertThat(progress).allSatisfy(line -> assertThat(line).matches("\\[\\d+/" + progress.size() + "] [a-z ]+: [\\d,]+ rows in \\d+\\.\\d s"));
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("[1/").contains("functions"));
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("touchpoints: " + String.format(Locale.ROOT, "%,d",
                summary.rowCounts().get("fact_touchpoint")) + " rows"));
        long reported = progress.stream()
                .mapToLong(line -> Long.parseLong(line.replaceAll(".*: ([\\d,]+) rows.*", "$1").replace(",", "")))
                .sum();
        assertThat(reported).isEqualTo(summary.rowCounts().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void step_names_drop_the_order_prefix() {
        assertThat(SeedGenerator.stepName("04_touchpoints.sql")).isEqualTo("touchpoints");
        assertThat(SeedGenerator.stepName("13_gl_actuals.sql")).isEqualTo("gl actuals");
    }

    /** Row count and an order-independent hash of every row's content, per table. */
    private static Map<String, String> fingerprints(Store seeded) {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        seeded.jdbi().useHandle(handle -> {
            for (String table : SeedGenerator.TABLES) {
                fingerprints.put(table, handle.createQuery(
                                "SELECT count(*) || ' rows, content ' || coalesce(sum(hash(t)), 0) FROM " + table + " t")
                        .mapTo(String.class)
                        .one());
            }
        });
        return fingerprints;
    }

    private static Map<String, Long> rowCounts(Store seeded) {
        Map<String, Long> counts = new LinkedHashMap<>();
        seeded.jdbi().useHandle(handle -> {
            for (String table : SeedGenerator.TABLES) {
                counts.put(table, handle.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
            }
        });
        return counts;
    }
}
