package io.finhub.ingest;

import static io.finhub.ingest.IngestFixtures.ACTOR;
import static io.finhub.ingest.IngestFixtures.CLOCK;
import static io.finhub.ingest.IngestFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk-import benchmark: a generated fact_touchpoint file of {@code finhub.bench.rows} rows
 * (default 5 million) imported into a file store limited to 2 DuckDB threads, as CSV and as Parquet.
 * Run with {@code mvn -q -B test -Dtest=IngestThroughputTest -Dfinhub.bench=true}; it prints rows per second.
 */
@EnabledIfSystemProperty(named = "finhub.bench", matches = "true")
class IngestThroughputTest {
    @TempDir
    Path directory;

    @Test
    void bulk_csv_and_parquet_imports_report_their_rows_per_second() {
        long rows = Long.getLong("finhub.bench.rows", 5_000_000L);
        StoreConfig config = new StoreConfig(Optional.of(directory.resolve("bench.duckdb")), System.getProperty("finhub.bench.memory", "2GB"), 2, 1, "USD");
        try (Store store = TestStores.withFixture("tiny_company", config)) {
            Path csv = directory.resolve("touchpoints.csv");
            Path parquet = directory.resolve("touchpoints.parquet");
            generate(store, rows, csv, "(HEADER)", "csv");
            generate(store, rows, parquet, "(FORMAT parquet)", "parquet");
            IngestService service = new IngestService(store, CLOCK);

            measure(service, "CSV", csv, rows);
            assertThat(count(store, "SELECT count(*) FROM fact_touchpoint")).isEqualTo(3 + rows);
            measure(service, "Parquet", parquet, rows);
            assertThat(count(store, "SELECT count(*) FROM fact_touchpoint")).isEqualTo(3 + 2 * rows);
        }
    }

    private static void generate(Store store, long rows, Path file, String options, String prefix) {
        store.jdbi().useHandle(handle -> handle.execute("COPY (SELECT '" + prefix + "' || i AS touchpoint_id, 'j' || (i // 4) AS journey_id,"
                + " CASE WHEN i % 3 = 0 THEN 'c' || (1 + i % 2) END AS customer_id, 'l' || (i // 4) AS lead_id,"
                + " CASE WHEN i % 2 = 0 THEN 'search' ELSE 'email' END AS channel_id, CASE WHEN i % 5 <> 0 THEN 's-q1' END AS campaign_id,"
                + " TIMESTAMP '2025-01-01' + to_seconds(i % 31000000) AS touched_at FROM range(" + rows + ") AS t(i)) TO '" + file + "' " + options));
    }

    private static void measure(IngestService service, String format, Path file, long rows) {
        long started = System.nanoTime();
        StringBuilder phases = new StringBuilder();
        IngestProgress timing = (dataset, phase) -> phases.append(String.format(" %s@%.2fs", phase, (System.nanoTime() - started) / 1e9));
        IngestResult result = service.importFile(IngestRequest.of("fact_touchpoint", file, ACTOR), timing);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(result.status()).isEqualTo(IngestStatus.COMMITTED);
        System.out.printf("ingest benchmark: %s, %,d rows in %.2f s = %,.0f rows/s (phases:%s)%n", format, rows, seconds, rows / seconds, phases);
    }
}
