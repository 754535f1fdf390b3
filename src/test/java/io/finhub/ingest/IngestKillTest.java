package io.finhub.ingest;

import static io.finhub.ingest.IngestFixtures.ACTOR;
import static io.finhub.ingest.IngestFixtures.CLOCK;
import static io.finhub.ingest.IngestFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real import in a separate JVM killed with SIGKILL while it writes: the store must be exactly as before. */
class IngestKillTest {
    private static final long ROWS = 2_000_000;

    @TempDir
    Path directory;

    @Test
    void killing_the_process_mid_import_leaves_the_store_as_it_was() throws Exception {
        Path database = directory.resolve("finhub.duckdb");
        Path file = directory.resolve("touchpoints.csv");
        long versionBefore;
        try (Store store = TestStores.withFixture("tiny_company", StoreConfig.file(database))) {
            store.jdbi().useHandle(handle -> handle.execute("COPY (SELECT 'k' || i AS touchpoint_id, 'j' || i AS journey_id, 'l' || i AS lead_id,"
                    + " 'email' AS channel_id, TIMESTAMP '2025-01-01' + to_seconds(i) AS touched_at FROM range(" + ROWS + ") AS t(i)) TO '" + file + "' (HEADER)"));
            versionBefore = store.dataVersion();
        }

        try (FinhubProcess importer = FinhubProcess.start(directory, "import", "fact_touchpoint", file.toString(), "--db", database.toString())) {
            importer.awaitLine(line -> line.endsWith("fact_touchpoint: writing"), Duration.ofMinutes(3));
            Thread.sleep(300);
            importer.kill();
            assertThat(importer.output()).doesNotContain("Committed batch");
        }

        try (Store reopened = Store.open(StoreConfig.file(database))) {
            assertThat(count(reopened, "SELECT count(*) FROM fact_touchpoint")).isEqualTo(3);
            assertThat(count(reopened, "SELECT count(*) FROM finhub_ingest_batch")).isZero();
            assertThat(reopened.dataVersion()).isEqualTo(versionBefore);

            IngestResult retry = new IngestService(reopened, CLOCK).importFile(IngestRequest.of("fact_touchpoint", file, ACTOR), IngestProgress.NONE);
            assertThat(retry.status()).isEqualTo(IngestStatus.COMMITTED);
            assertThat(count(reopened, "SELECT count(*) FROM fact_touchpoint")).isEqualTo(3 + ROWS);
        }
    }
}
