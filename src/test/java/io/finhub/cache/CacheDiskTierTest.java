package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheClient.Answer;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model reports survive a restart in the disk tier beside the DuckDB file, and only for their data version. */
class CacheDiskTierTest {
    private static final String ATTRIBUTION = "{ attribution(models: [LINEAR, MARKOV]) { dataVersion attributableRevenue rows { key models { attributedRevenue } } } }";

    @TempDir
    Path directory;

    @Test
    void a_restart_answers_a_model_report_from_disk_until_the_data_changes() {
        Path database = directory.resolve("finhub.duckdb");
        StoreConfig config = StoreConfig.file(database);
        Answer computed;
        try (FinhubServer server = FinhubServer.start(TestStores.withFixture("tiny_company", config), "127.0.0.1", 0)) {
            computed = new CacheClient(server).post(ATTRIBUTION);
            assertThat(computed.cache()).isEqualTo("MISS");
            assertThat(computed.json().has("errors")).isFalse();
        }
        assertThat(Files.isDirectory(directory.resolve("finhub.duckdb.cache"))).isTrue();

        try (FinhubServer restarted = FinhubServer.start(Store.open(config), "127.0.0.1", 0)) {
            CacheClient client = new CacheClient(restarted);
            Answer fromDisk = client.post(ATTRIBUTION);
            assertThat(fromDisk.cache()).isEqualTo("DISK_HIT");
            assertThat(fromDisk.body()).isEqualTo(computed.body());
            assertThat(client.post(ATTRIBUTION).cache()).isEqualTo("HIT");
            assertThat(client.metrics().at("/diskTier/hits").asLong()).isEqualTo(1);

            restarted.store().write("test", List.of("fact_spend"), handle -> handle.execute(
                    "INSERT INTO fact_spend VALUES ('sp-late', DATE '2025-04-20', 'mkt', 'email', 'e-q2', NULL, NULL, 'MEDIA', 90.00, 'USD')"));
            Answer afterChange = client.post(ATTRIBUTION);
            assertThat(afterChange.cache()).isEqualTo("MISS");
            assertThat(afterChange.json().at("/data/attribution/dataVersion").asLong()).isEqualTo(2);
        }
    }
}
