package io.finhub.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.TestStores;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import io.finhub.store.TimeGrain;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A customer that changes billing currency keeps being a customer: its MRR bridge shows expansion or
 * contraction by the difference at the month end's rate, never churn plus new, and retention follows
 * the customer across currencies. Fixture {@code currency_switch}; EUR → USD is 1.04 at the end of
 * January and February, 1.05763407 at the end of March and 1.10 at the end of April.
 */
class RevenueCurrencySwitchTest {
    private static final LocalDate JANUARY = LocalDate.of(2025, 1, 1);
    private static final LocalDate MARCH = LocalDate.of(2025, 3, 1);
    private static final LocalDate APRIL_END = LocalDate.of(2025, 4, 30);
    private static Store store;
    private static RevenueQueries revenue;
    private static MetricsService metrics;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("currency_switch");
        RevenueModels models = new RevenueModels(store, new DerivedTables(store));
        revenue = new RevenueQueries(store, models);
        Catalog catalog = StandardCatalog.create();
        RevenueCatalog.register(catalog, models);
        metrics = new MetricsService(store, catalog);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void a_currency_switch_is_expansion_or_contraction_and_the_bridge_ties_to_the_cent() {
        // month: opening +new +expansion +reactivation −contraction −churn +fx = closing; customers opening → closing
        // Jan: all four are new: S 1,000 EUR × 1.04 = 1,040.00, D 1,100.00, K 500 × 1.04 = 520.00,
        //      M 100 × 1.04 + 100 = 204.00; new = 2,864.00, one new customer each (M once, not once per currency).
        // Feb: nothing moves at an unchanged rate.
        // Mar, at 1.05763407 (opening at February's 1.04 = 2,864.00):
        //      S: 1,000 EUR = 1,057.63 → 1,200.00 USD: expansion 1,200.00 − 1,057.63 = 142.37.
        //      D: 1,100.00 USD → 1,000 EUR = 1,057.63: contraction 1,100.00 − 1,057.63 = 42.37.
        //      fx: S's opening 1,040.00 revalued to 1,057.63 = 17.63; K 520.00 → 528.82 (500 × 1.05763407 = 528.817) = 8.82;
        //          M's euros 104.00 → 105.76 = 1.76; D's euros are new this month at this month's rate: 0. fx = 28.21.
        //      closing 1,200.00 + 1,057.63 + 528.82 + 105.76 + 100.00 = 2,992.21 = 2,864.00 + 142.37 − 42.37 + 28.21.
        // Apr, at 1.10 (opening 2,992.21): M's last subscriptions end: churn 100 × 1.10 + 100 = 210.00, one customer.
        //      fx: D 1,057.63 → 1,100.00 = 42.37, K 528.82 → 550.00 = 21.18, M's euros 105.76 → 110.00 = 4.24; fx = 67.79.
        //      closing 1,200.00 + 1,100.00 + 550.00 = 2,850.00 = 2,992.21 − 210.00 + 67.79.
        assertThat(revenue.mrrMovements(JANUARY, APRIL_END, Optional.empty())).extracting(RevenueCurrencySwitchTest::bridge).containsExactly(
                "2025-01-01 0.00 +2864.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 2864.00; customers 0 → 4, new 4, churned 0",
                "2025-02-01 2864.00 +0.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 2864.00; customers 4 → 4, new 0, churned 0",
                "2025-03-01 2864.00 +0.00 +142.37 +0.00 -42.37 -0.00 fx28.21 = 2992.21; customers 4 → 4, new 0, churned 0",
                "2025-04-01 2992.21 +0.00 +0.00 +0.00 -0.00 -210.00 fx67.79 = 2850.00; customers 4 → 3, new 0, churned 1");
    }

    @Test
    void a_customer_that_keeps_its_currency_only_moves_with_the_rate() {
        // March by segment: ENTERPRISE is S (1,040.00 + 142.37 + fx 17.63 = 1,200.00), MID_MARKET is D
        // (1,100.00 − 42.37 = 1,057.63, no fx: its euros start this month), SMB is K and M, who only
        // revalue: 520.00 + 204.00 = 724.00, fx 8.82 + 1.76 = 10.58, closing 734.58.
        assertThat(revenue.mrrMovements(MARCH, LocalDate.of(2025, 3, 31), Optional.of(CustomerBreakdown.SEGMENT)))
                .extracting(month -> month.group() + " " + bridge(month)).containsExactly(
                        "ENTERPRISE 2025-03-01 1040.00 +0.00 +142.37 +0.00 -0.00 -0.00 fx17.63 = 1200.00; customers 1 → 1, new 0, churned 0",
                        "MID_MARKET 2025-03-01 1100.00 +0.00 +0.00 +0.00 -42.37 -0.00 fx0.00 = 1057.63; customers 1 → 1, new 0, churned 0",
                        "SMB 2025-03-01 724.00 +0.00 +0.00 +0.00 -0.00 -0.00 fx10.58 = 734.58; customers 2 → 2, new 0, churned 0");
    }

    @Test
    void retention_follows_the_customer_across_currencies() {
        // Paying at the end of February, at February's 1.04: S 1,040.00, D 1,100.00, K 520.00, M 204.00 = 2,864.00.
        // At the end of April, at the same 1.04: S 1,200.00 (USD now), D 1,000 EUR = 1,040.00, K 520.00, M 0 = 2,760.00.
        // NRR = 2,760 ÷ 2,864 = 96.3687 %. GRR caps each customer at its start: 1,040 + 1,040 + 520 + 0 = 2,600 → 90.7821 %.
        assertThat(revenue.retention(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 4, 1), Optional.empty())).singleElement().satisfies(retention -> {
            assertThat(retention.customers()).isEqualTo(4);
            assertThat(retention.retainedCustomers()).isEqualTo(3);
            assertThat(retention.startMrr()).isEqualByComparingTo("2864.00");
            assertThat(retention.endMrr()).isEqualByComparingTo("2760.00");
            assertThat(retention.retainedMrrCapped()).isEqualByComparingTo("2600.00");
            assertThat(retention.nrrPct()).isEqualByComparingTo("96.3687");
            assertThat(retention.grrPct()).isEqualByComparingTo("90.7821");
        });
    }

    @Test
    void catalog_mrr_flows_classify_the_switch_as_the_bridge_does() {
        var result = metrics.query(MetricsRequest.of(List.of("newMrr", "expansionMrr", "contractionMrr", "churnedMrr", "reactivationMrr"), List.of())
                .withGrain(TimeGrain.QUARTER).withRange(JANUARY, APRIL_END));
        // Q1: new 2,864.00 (January), expansion 142.37 and contraction 42.37 (March). Q2: churn 210.00 (April).
        assertThat(result.rows()).extracting(row -> row.periodLabel() + " " + row.measures().values())
                .containsExactly("FY2025-Q1 [2864.00, 142.37, 42.37, null, null]", "FY2025-Q2 [null, null, null, 210.00, null]");
    }

    @Test
    void a_switch_without_the_month_end_rate_names_the_rate() {
        try (Store example = Store.open(StoreConfig.inMemory())) {
            // S moves from 1,000.00 EUR to 1,200.00 USD in February; EUR → USD is loaded for 31 January only.
            example.write("test", List.of("fact_subscription", "fact_fx_rate"), handle -> handle.createScript("""
                    INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2), ('EUR', 'Euro', 2);
                    INSERT INTO fact_subscription VALUES
                        ('s-eur', 'S', NULL, 'core', DATE '2025-01-01', DATE '2025-02-01', 1000.00, 'EUR', 1),
                        ('s-usd', 'S', NULL, 'core', DATE '2025-02-01', NULL,              1200.00, 'USD', 1);
                    INSERT INTO fact_fx_rate VALUES (DATE '2025-01-31', 'EUR', 'USD', 1.10000000);
                    """).execute());
            RevenueQueries queries = new RevenueQueries(example, new RevenueModels(example, new DerivedTables(example)));
            // January: S is new, 1,000 EUR × 1.10 = 1,100.00.
            assertThat(queries.mrrMovements(JANUARY, LocalDate.of(2025, 1, 31), Optional.empty())).extracting(RevenueCurrencySwitchTest::bridge)
                    .containsExactly("2025-01-01 0.00 +1100.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 1100.00; customers 0 → 1, new 1, churned 0");
            // February's movement compares 1,200.00 USD with 1,000 EUR at 28 February's rate, which was not loaded.
            assertThatThrownBy(() -> queries.mrrMovements(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 2, 28), Optional.empty()))
                    .isInstanceOfSatisfying(FinhubException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FX_RATE);
                        assertThat(e.getMessage()).contains("EUR").contains("USD").contains("2025-02-28");
                    });
        }
    }

    private static String bridge(MrrMovement month) {
        return "%s %s +%s +%s +%s -%s -%s fx%s = %s; customers %d → %d, new %d, churned %d".formatted(month.month(), month.opening(), month.newMrr(),
                month.expansion(), month.reactivation(), month.contraction(), month.churn(), month.fxImpact(), month.closing(), month.openingCustomers(),
                month.customers(), month.newCustomers(), month.churnedCustomers());
    }
}
