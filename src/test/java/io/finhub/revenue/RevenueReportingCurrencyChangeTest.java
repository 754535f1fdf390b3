package io.finhub.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One database file served in USD, then EUR, then USD again: the revenue tables are one physical
 * table each, rebuilt in whichever currency was asked last, so each opening must find them built in
 * its own. Fixture {@code currency_switch}: K's one invoice is 500.00 EUR on 30 April 2025, where
 * EUR → USD is 1.10; EUR → USD is 1.04 at the end of January. The test adds USD → EUR at 0.95 at
 * each month end, so the EUR figures have rates too.
 */
class RevenueReportingCurrencyChangeTest {
    private static final LocalDate APRIL = LocalDate.of(2025, 4, 1);
    private static final LocalDate JANUARY = LocalDate.of(2025, 1, 1);

    @Test
    void switching_the_reporting_currency_and_back_rebuilds_the_tables_in_the_current_one(@TempDir Path directory) {
        StoreConfig usd = StoreConfig.file(directory.resolve("finhub.duckdb"));
        StoreConfig eur = usd.withReportingCurrency("EUR");
        try (Store store = TestStores.withFixture("currency_switch", usd)) {
            store.write("test", List.of("fact_fx_rate"), handle -> handle.execute("""
                    INSERT INTO fact_fx_rate SELECT rate_date, 'USD', 'EUR', 0.95000000 FROM fact_fx_rate WHERE from_currency = 'EUR'"""));
            // 500.00 EUR × 1.10 = 550.00 USD; January's new MRR: S 1,000 EUR × 1.04 = 1,040.00, D 1,100.00,
            // K 500 EUR × 1.04 = 520.00, M 100 EUR × 1.04 + 100.00 = 204.00; 2,864.00 in all.
            assertFigures(store, "550.00", "2864.00");
        }
        try (Store store = Store.open(eur)) {
            // The invoice is in euros already: 500.00 EUR. January's new MRR: S 1,000.00, D 1,100 USD × 0.95 = 1,045.00,
            // K 500.00, M 100.00 + 100 USD × 0.95 = 195.00; 2,740.00 in all.
            assertFigures(store, "500.00", "2740.00");
        }
        try (Store store = Store.open(usd)) {
            assertFigures(store, "550.00", "2864.00");
        }
    }

    private static void assertFigures(Store store, String aprilInvoiced, String januaryNewMrr) {
        assertThat(aprilInvoiced(store)).isEqualByComparingTo(aprilInvoiced);
        assertThat(januaryNewMrr(store)).isEqualByComparingTo(januaryNewMrr);
    }

    private static BigDecimal aprilInvoiced(Store store) {
        return queries(store).recognizedRevenue(APRIL, LocalDate.of(2025, 4, 30)).get(0).invoiced();
    }

    private static BigDecimal januaryNewMrr(Store store) {
        return queries(store).mrrMovements(JANUARY, LocalDate.of(2025, 1, 31), Optional.empty()).get(0).newMrr();
    }

    private static RevenueQueries queries(Store store) {
        return new RevenueQueries(store, new RevenueModels(store, new DerivedTables(store)));
    }
}
