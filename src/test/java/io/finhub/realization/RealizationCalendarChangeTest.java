package io.finhub.realization;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store reopened with another fiscal start month rebuilds what it derived on the old calendar: the
 * realization summary had quarters starting in January, April and July (calendar quarters) under the
 * new fiscal labels until some unrelated import rebuilt them.
 */
class RealizationCalendarChangeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-07-15T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    @Test
    void reopening_with_another_fiscal_start_month_rebuilds_the_quarters() {
        Path file = directory.resolve("finhub.duckdb");
        long versionBefore;
        try (Store store = TestStores.withFixture("realization_contract", StoreConfig.file(file))) {
            // Fiscal year from January: k1 (2025-01-01 .. 2025-12-31) measured through 2025-06-30 in Q1 and Q2.
            assertThat(quarterStarts(store)).containsExactly(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 4, 1));
            versionBefore = store.dataVersion();
        }
        try (Store store = Store.open(StoreConfig.file(file).withFiscalStartMonth(2))) {
            // Fiscal year from February: quarters start 2024-11-01, 2025-02-01, 2025-05-01 (the data runs to 2025-06-30).
            assertThat(store.dataVersion()).as("the calendar change is a change of dim_date").isEqualTo(versionBefore + 1);
            assertThat(quarterStarts(store)).containsExactly(LocalDate.of(2024, 11, 1), LocalDate.of(2025, 2, 1), LocalDate.of(2025, 5, 1));
        }
        try (Store store = Store.open(StoreConfig.file(file).withFiscalStartMonth(2))) {
            assertThat(store.dataVersion()).as("the same calendar again changes nothing").isEqualTo(versionBefore + 1);
        }
    }

    private static List<LocalDate> quarterStarts(Store store) {
        RealizationService realization = new RealizationService(store, CLOCK, new RealizationEvents(), Runnable::run);
        return realization.summary(new RealizationSummaryRequest(RealizationGrouping.CONTRACT, Optional.empty(), Optional.empty(), false, 100, 0))
                .rows().stream()
                .filter(row -> row.key().equals("k1"))
                .map(RealizationSummaryRow::quarterStart)
                .toList();
    }
}
