package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheClient.Answer;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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

    @Test
    void a_disk_tier_written_under_one_configuration_is_read_only_under_that_one() {
        StoreConfig usd = StoreConfig.file(directory.resolve("finhub.duckdb"));
        String asWritten = CacheSettings.configurationOf(usd);
        ResultKey written = key(asWritten);
        try (DiskTier disk = new DiskTier(directory.resolve("tier"), CacheSettings.DEFAULT_DISK_TIER_BYTES)) {
            disk.put(written, "{\"data\":{\"currency\":\"USD\"}}".getBytes(StandardCharsets.UTF_8));
        }
        try (DiskTier reopened = new DiskTier(directory.resolve("tier"), CacheSettings.DEFAULT_DISK_TIER_BYTES)) {
            assertThat(reopened.get(key(CacheSettings.configurationOf(usd.withReportingCurrency("EUR"))))).as("another reporting currency").isEmpty();
            assertThat(reopened.get(key(CacheSettings.configurationOf(usd.withFiscalStartMonth(7))))).as("another fiscal start month").isEmpty();
            assertThat(reopened.get(key(asWritten.replace("build=", "build=older-")))).as("another build").isEmpty();
            assertThat(reopened.get(key(CacheSettings.configurationOf(StoreConfig.file(directory.resolve("finhub.duckdb"))))))
                    .as("the same configuration").hasValueSatisfying(body -> assertThat(new String(body, StandardCharsets.UTF_8))
                            .isEqualTo("{\"data\":{\"currency\":\"USD\"}}"));
        }
    }

    @Test
    void a_restart_with_another_fiscal_start_month_computes_the_report_again() {
        Path database = directory.resolve("finhub.duckdb");
        StoreConfig calendarYear = StoreConfig.file(database);
        String report = "{ attribution(models: [LINEAR], period: {fiscalYear: 2025}) { attributableRevenue } }";
        Answer computed;
        try (FinhubServer server = FinhubServer.start(TestStores.withFixture("tiny_company", calendarYear), "127.0.0.1", 0)) {
            computed = new CacheClient(server).post(report);
            assertThat(computed.cache()).isEqualTo("MISS");
            assertThat(computed.json().has("errors")).isFalse();
        }
        try (FinhubServer julyYear = FinhubServer.start(Store.open(calendarYear.withFiscalStartMonth(7)), "127.0.0.1", 0)) {
            assertThat(new CacheClient(julyYear).post(report).cache()).as("fiscal 2025 now runs from July 2024").isEqualTo("MISS");
        }
        // Back to calendar years: another change of dim_date (a new data version), so computed again, to the same answer.
        try (FinhubServer again = FinhubServer.start(Store.open(calendarYear), "127.0.0.1", 0)) {
            Answer recomputed = new CacheClient(again).post(report);
            assertThat(recomputed.cache()).isEqualTo("MISS");
            assertThat(recomputed.body()).isEqualTo(computed.body());
        }
        // A restart with nothing changed answers from disk.
        try (FinhubServer unchanged = FinhubServer.start(Store.open(calendarYear), "127.0.0.1", 0)) {
            Answer fromDisk = new CacheClient(unchanged).post(report);
            assertThat(fromDisk.cache()).isEqualTo("DISK_HIT");
            assertThat(fromDisk.body()).isEqualTo(computed.body());
        }
    }

    private static ResultKey key(String configuration) {
        return new ResultKey("{attribution{currency}}", null, "{}", "public", 1, LocalDate.of(2025, 6, 30), configuration);
    }
}
