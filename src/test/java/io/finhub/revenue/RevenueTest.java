package io.finhub.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
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
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MRR movements, retention and revenue recognition on the subscriptions fixture; figures by hand in the comments. */
class RevenueTest {
    private static final LocalDate JANUARY = LocalDate.of(2025, 1, 1);
    private static final LocalDate JUNE_END = LocalDate.of(2025, 6, 30);
    private static Store store;
    private static RevenueQueries revenue;
    private static MetricsService metrics;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("subscriptions");
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
    void mrr_bridge_month_by_month() {
        List<MrrMovement> months = revenue.mrrMovements(JANUARY, JUNE_END, Optional.empty());
        // month: opening +new +expansion +reactivation −contraction −churn +fx = closing
        // Jan: A 100 and B 200 start.                                     0 + 300 = 300
        // Feb: C starts, 100 EUR × 1.10.                                300 + 110 = 410
        // Mar: A adds 50, B's only subscription ends (churn 200), C revalued 1.10 → 1.20 (+10 fx):
        //      410 + 50 − 200 + 10 = 270
        // Apr: nothing moves.                                                       270
        // May: A cancels the add-on (contraction 50, A stays), B comes back with 80: 270 + 80 − 50 = 300
        // Jun: nothing moves.                                                       300
        assertThat(months).extracting(RevenueTest::bridge).containsExactly(
                "2025-01-01 0.00 +300.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 300.00",
                "2025-02-01 300.00 +110.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 410.00",
                "2025-03-01 410.00 +0.00 +50.00 +0.00 -0.00 -200.00 fx10.00 = 270.00",
                "2025-04-01 270.00 +0.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 270.00",
                "2025-05-01 270.00 +0.00 +0.00 +80.00 -50.00 -0.00 fx0.00 = 300.00",
                "2025-06-01 300.00 +0.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 300.00");
        MrrMovement march = months.get(2);
        // Gross MRR churn = (churn + contraction) ÷ opening = 200 ÷ 410 = 48.7805 %;
        // net = (200 − 50) ÷ 410 = 36.5854 %; customer churn = 1 of 3 = 33.3333 %; ARR = 270 × 12.
        assertThat(march.grossMrrChurnPct()).isEqualByComparingTo("48.7805");
        assertThat(march.netMrrChurnPct()).isEqualByComparingTo("36.5854");
        assertThat(march.customerChurnPct()).isEqualByComparingTo("33.3333");
        assertThat(march.arr()).isEqualByComparingTo("3240.00");
        assertThat(march.customers()).isEqualTo(2);
    }

    @Test
    void catalog_mrr_flows_agree_with_the_bridge() {
        var result = metrics.query(MetricsRequest.of(List.of("newMrr", "expansionMrr", "contractionMrr", "churnedMrr", "reactivationMrr"), List.of())
                .withGrain(TimeGrain.QUARTER).withRange(JANUARY, JUNE_END));
        // Q1: new 300 + 110 = 410, expansion 50, churn 200. Q2: reactivation 80, contraction 50.
        assertThat(result.rows()).extracting(row -> row.periodLabel() + " " + row.measures().values())
                .containsExactly("FY2025-Q1 [410.00, 50.00, null, 200.00, null]", "FY2025-Q2 [null, null, 50.00, null, 80.00]");
    }

    @Test
    void a_range_ending_within_a_month_counts_the_months_that_ended_in_it() {
        // 1 January to 15 March: January and February ended in the range, March did not. New MRR 300 + 110 = 410
        // (March's expansion 50 and churn 200 are month-end movements of a month not yet ended); A's annual
        // invoice is recognised at 100.00 a day: 31 + 28 = 59 days → 5900.00 (not March's 3100.00 as well).
        var result = metrics.query(MetricsRequest.of(List.of("newMrr", "expansionMrr", "churnedMrr", "recognizedRevenue"), List.of("customer"))
                .withFilters(List.of(new MetricsRequest.Filter("customer", MetricsRequest.Operator.EQ, List.of("A"))))
                .withRange(JANUARY, LocalDate.of(2025, 3, 15)));
        assertThat(result.rows()).singleElement().satisfies(row -> assertThat(row.measures().values().toString()).isEqualTo("[100.00, null, null, 5900.00]"));
        var all = metrics.query(MetricsRequest.of(List.of("newMrr", "expansionMrr", "churnedMrr"), List.of()).withRange(JANUARY, LocalDate.of(2025, 3, 15)));
        assertThat(all.rows()).singleElement().satisfies(row -> assertThat(row.measures().values().toString()).isEqualTo("[410.00, null, null]"));
    }

    @Test
    void the_bridge_and_recognition_count_the_months_that_end_within_the_range() {
        // 15 February to 15 April: February (ends the 28th) and March (ends the 31st) end within the range,
        // April (ends the 30th) does not. Bridge as in mrr_bridge_month_by_month: February 300 → 410, March 410 → 270.
        // Recognition as in ratable_recognition_and_deferred_revenue_tie_out: February 3,725.80, March 3,100.00.
        LocalDate from = LocalDate.of(2025, 2, 15);
        LocalDate to = LocalDate.of(2025, 4, 15);
        assertThat(revenue.mrrMovements(from, to, Optional.empty())).extracting(RevenueTest::bridge).containsExactly(
                "2025-02-01 300.00 +110.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 410.00",
                "2025-03-01 410.00 +0.00 +50.00 +0.00 -0.00 -200.00 fx10.00 = 270.00");
        assertThat(revenue.recognizedRevenue(from, to)).extracting(month -> month.month() + " " + month.recognized())
                .containsExactly("2025-02-01 3725.80", "2025-03-01 3100.00");
        // Ending on a month's last day counts that month; a range inside one month ends no month.
        assertThat(revenue.mrrMovements(from, LocalDate.of(2025, 4, 30), Optional.empty())).extracting(MrrMovement::month)
                .containsExactly(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 3, 1), LocalDate.of(2025, 4, 1));
        assertThat(revenue.mrrMovements(LocalDate.of(2025, 4, 5), LocalDate.of(2025, 4, 20), Optional.empty())).isEmpty();
        assertThat(revenue.recognizedRevenue(LocalDate.of(2025, 4, 5), LocalDate.of(2025, 4, 20))).isEmpty();
    }

    @Test
    void retention_in_constant_currency() {
        // Customers paying at the end of February: A 100, B 200, C 100 EUR at February's 1.10 = 110 → 410.
        // At the end of March, at the same February rate: A 150, B 0, C 110 → 260.
        // NRR = 260 ÷ 410 = 63.4146 %; GRR counts A at most at 100: (100 + 0 + 110) ÷ 410 = 51.2195 %.
        assertThat(revenue.retention(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 3, 1), Optional.empty())).singleElement().satisfies(retention -> {
            assertThat(retention.startMrr()).isEqualByComparingTo("410.00");
            assertThat(retention.endMrr()).isEqualByComparingTo("260.00");
            assertThat(retention.nrrPct()).isEqualByComparingTo("63.4146");
            assertThat(retention.grrPct()).isEqualByComparingTo("51.2195");
            assertThat(retention.customers()).isEqualTo(3);
            assertThat(retention.retainedCustomers()).isEqualTo(2);
        });
        assertThatThrownBy(() -> revenue.retention(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 2, 1), Optional.empty()))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATE_RANGE));
    }

    @Test
    void retention_past_the_last_month_of_data_is_an_invalid_range_not_zero_retention() {
        // The data runs to June 2025: the latest invoice is dated 2025-06-01 (the latest subscription starts 2025-05-10).
        // May to June is still answered: end of May A 100, B 80, C 100 EUR × 1.20 = 120 → 300; June the same → NRR 100 %.
        assertThat(revenue.retention(LocalDate.of(2025, 5, 1), LocalDate.of(2025, 6, 1), Optional.empty())).singleElement().satisfies(retention -> {
            assertThat(retention.startMrr()).isEqualByComparingTo("300.00");
            assertThat(retention.nrrPct()).isEqualByComparingTo("100");
        });
        assertThatThrownBy(() -> revenue.retention(LocalDate.of(2025, 5, 1), LocalDate.of(2025, 7, 1), Optional.empty()))
                .isInstanceOfSatisfying(FinhubException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATE_RANGE);
                    assertThat(e.getMessage()).contains("2025-06-01");
                });
    }

    /**
     * The worked example on dnoise.online's "Net Revenue Retention (NRR)" page:
     * NRR = (200,000 − 6,000 churn − 4,000 contraction + 20,000 expansion) ÷ 200,000 = 105 %.
     * GRR leaves expansion out: (200,000 − 6,000 − 4,000) ÷ 200,000 = 95 %.
     */
    @Test
    void published_nrr_example() {
        try (Store example = Store.open(StoreConfig.inMemory())) {
            example.write("test", List.of("fact_subscription"), handle -> handle.createScript("""
                    INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
                    INSERT INTO fact_subscription VALUES
                        ('r1', 'R', NULL, 'core', DATE '2025-01-01', DATE '2025-02-01', 100000.00, 'USD', 1),
                        ('r2', 'R', NULL, 'core', DATE '2025-02-01', NULL,              120000.00, 'USD', 1),
                        ('s1', 'S', NULL, 'core', DATE '2025-01-01', DATE '2025-02-01',  50000.00, 'USD', 1),
                        ('s2', 'S', NULL, 'core', DATE '2025-02-01', NULL,               46000.00, 'USD', 1),
                        ('t1', 'T', NULL, 'core', DATE '2025-01-01', DATE '2025-02-01',   6000.00, 'USD', 1),
                        ('u1', 'U', NULL, 'core', DATE '2025-01-01', NULL,               44000.00, 'USD', 1);
                    """).execute());
            RevenueQueries queries = new RevenueQueries(example, new RevenueModels(example, new DerivedTables(example)));
            assertThat(queries.retention(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1), Optional.empty())).singleElement().satisfies(retention -> {
                assertThat(retention.startMrr()).isEqualByComparingTo("200000.00");
                assertThat(retention.nrrPct()).isEqualByComparingTo("105.0000");
                assertThat(retention.grrPct()).isEqualByComparingTo("95.0000");
            });
            MrrMovement february = queries.mrrMovements(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 2, 28), Optional.empty()).get(0);
            assertThat(february.expansion()).isEqualByComparingTo("20000.00");
            assertThat(february.contraction()).isEqualByComparingTo("4000.00");
            assertThat(february.churn()).isEqualByComparingTo("6000.00");
        }
    }

    @Test
    void a_customer_that_starts_free_is_new_when_it_first_pays() {
        try (Store example = Store.open(StoreConfig.inMemory())) {
            // F: a free subscription (MRR 0) from 10 January to 1 March, then 100.00 from 5 March.
            // P: pays 50.00 in January, moves to a free plan for February (churn), pays 70.00 again from March (reactivation).
            example.write("test", List.of("fact_subscription"), handle -> handle.createScript("""
                    INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
                    INSERT INTO fact_subscription VALUES
                        ('f1', 'F', NULL, 'core', DATE '2025-01-10', DATE '2025-03-01',   0.00, 'USD', 1),
                        ('f2', 'F', NULL, 'core', DATE '2025-03-05', NULL,              100.00, 'USD', 1),
                        ('p1', 'P', NULL, 'core', DATE '2025-01-01', DATE '2025-02-01',  50.00, 'USD', 1),
                        ('p2', 'P', NULL, 'core', DATE '2025-02-01', DATE '2025-03-01',   0.00, 'USD', 1),
                        ('p3', 'P', NULL, 'core', DATE '2025-03-01', NULL,               70.00, 'USD', 1);
                    """).execute());
            RevenueQueries queries = new RevenueQueries(example, new RevenueModels(example, new DerivedTables(example)));
            // January: P new 50 (F pays nothing).            0 + 50 = 50
            // February: P on the free plan, churn 50.       50 − 50 = 0
            // March: F pays for the first time (new 100); P pays again (reactivation 70).  0 + 100 + 70 = 170
            List<MrrMovement> months = queries.mrrMovements(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31), Optional.empty());
            assertThat(months).extracting(RevenueTest::bridge).containsExactly(
                    "2025-01-01 0.00 +50.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 50.00",
                    "2025-02-01 50.00 +0.00 +0.00 +0.00 -0.00 -50.00 fx0.00 = 0.00",
                    "2025-03-01 0.00 +100.00 +0.00 +70.00 -0.00 -0.00 fx0.00 = 170.00");
            assertThat(months).extracting(month -> month.newCustomers() + " new, " + month.churnedCustomers() + " churned")
                    .containsExactly("1 new, 0 churned", "0 new, 1 churned", "1 new, 0 churned");
        }
    }

    @Test
    void the_bridge_names_a_missing_rate_only_for_the_months_that_need_it() {
        try (Store example = Store.open(StoreConfig.inMemory())) {
            // One EUR customer from January 2025; EUR → USD is loaded for January's month end only.
            example.write("test", List.of("fact_subscription", "fact_fx_rate"), handle -> handle.createScript("""
                    INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2), ('EUR', 'Euro', 2);
                    INSERT INTO fact_subscription VALUES
                        ('e1', 'E', NULL, 'core', DATE '2025-01-01', NULL, 100.00, 'EUR', 1),
                        ('u1', 'U', NULL, 'core', DATE '2025-02-01', NULL,  50.00, 'USD', 1);
                    INSERT INTO fact_fx_rate VALUES (DATE '2025-01-31', 'EUR', 'USD', 1.10000000);
                    """).execute());
            RevenueQueries queries = new RevenueQueries(example, new RevenueModels(example, new DerivedTables(example)));
            // January: E is new, 100 EUR × 1.10 = 110.00 USD.
            assertThat(queries.mrrMovements(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), Optional.empty()))
                    .extracting(RevenueTest::bridge).containsExactly("2025-01-01 0.00 +110.00 +0.00 +0.00 -0.00 -0.00 fx0.00 = 110.00");
            // February needs the rate of 28 February for E's closing MRR: none was loaded.
            assertThatThrownBy(() -> queries.mrrMovements(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 2, 28), Optional.of(CustomerBreakdown.SEGMENT)))
                    .isInstanceOfSatisfying(FinhubException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FX_RATE);
                        assertThat(e.getMessage()).contains("EUR").contains("USD").contains("2025-02-28");
                    });
        }
    }

    @Test
    void ratable_recognition_and_deferred_revenue_tie_out() {
        List<RecognizedRevenueMonth> months = revenue.recognizedRevenue(JANUARY, JUNE_END);
        // i1 36,500.00 over 365 days = 100.00 a day. i2 1,000.00 over 31 days (17 in January, 14 in February):
        //   100,000 × 17 ÷ 31 = 54,838.71 cents, 100,000 × 14 ÷ 31 = 45,161.29 → floors 54,838 + 45,161 leave one cent,
        //   which goes to January (larger remainder): 548.39 and 451.61.
        // i3 1,000.00 EUR at 1.05 on its invoice date = 1,050.00, split the same way: 575.81 and 474.19.
        // January: 3,100.00 + 548.39 + 575.81 = 4,224.20 recognised; invoiced 36,500 + 1,000 + 1,050 = 38,550.00;
        //          deferred 38,550.00 − 4,224.20 = 34,325.80.
        // February: 2,800.00 + 451.61 + 474.19 = 3,725.80; deferred 30,600.00 (i1's remaining 306 days).
        // June: deferred = i1's July–December, 184 days = 18,400.00.
        assertThat(months).extracting(month -> month.month() + " " + month.invoiced() + " " + month.recognized() + " " + month.deferredBalance())
                .containsExactly(
                        "2025-01-01 38550.00 4224.20 34325.80",
                        "2025-02-01 0.00 3725.80 30600.00",
                        "2025-03-01 0.00 3100.00 27500.00",
                        "2025-04-01 0.00 3000.00 24500.00",
                        "2025-05-01 0.00 3100.00 21400.00",
                        "2025-06-01 0.00 3000.00 18400.00");
        months.forEach(month -> assertThat(month.recognizedToDate().add(month.deferredBalance())).isEqualByComparingTo(month.invoicedToDate()));
    }

    @Test
    void recognition_has_a_row_for_every_month_between_the_first_and_the_last_with_data() {
        try (Store example = Store.open(StoreConfig.inMemory())) {
            // a1: 3,100.00 invoiced 15 January for 15 January – 14 February, 31 days at 100.00 a day: January 17 days
            //     = 1,700.00, February 14 days = 1,400.00. a2: 900.00 invoiced 20 February in advance for June.
            // March to May invoice and recognise nothing; a2's 900.00 stays deferred through them.
            example.write("test", List.of("fact_invoice"), handle -> handle.createScript("""
                    INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
                    INSERT INTO fact_invoice VALUES
                        ('a1', 'A', NULL, DATE '2026-01-15', DATE '2026-01-15', DATE '2026-02-14', 3100.00, 'USD'),
                        ('a2', 'A', NULL, DATE '2026-02-20', DATE '2026-06-01', DATE '2026-06-30',  900.00, 'USD');
                    """).execute());
            RevenueQueries queries = new RevenueQueries(example, new RevenueModels(example, new DerivedTables(example)));
            // month invoiced recognised deferred: January 3,100 − 1,700 = 1,400; February 1,400 + 900 − 1,400 = 900;
            // March–May 900 carried; June 900 − 900 = 0. The range runs to December; the data ends with June.
            assertThat(queries.recognizedRevenue(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)))
                    .extracting(month -> month.month() + " " + month.invoiced() + " " + month.recognized() + " " + month.deferredBalance())
                    .containsExactly(
                            "2026-01-01 3100.00 1700.00 1400.00",
                            "2026-02-01 900.00 1400.00 900.00",
                            "2026-03-01 0.00 0.00 900.00",
                            "2026-04-01 0.00 0.00 900.00",
                            "2026-05-01 0.00 0.00 900.00",
                            "2026-06-01 0.00 900.00 0.00");
            // A range within the quiet months still answers them, with the balance counted from the first invoice.
            assertThat(queries.recognizedRevenue(LocalDate.of(2026, 4, 1), LocalDate.of(2026, 4, 30)))
                    .extracting(month -> month.month() + " " + month.invoicedToDate() + " " + month.recognizedToDate() + " " + month.deferredBalance())
                    .containsExactly("2026-04-01 4000.00 3100.00 900.00");
        }
    }

    @Test
    void every_invoice_is_recognised_exactly_once() {
        BigDecimal invoiced = metrics.query(MetricsRequest.of(List.of("invoiced"), List.of())).rows().get(0).measures().get("invoiced");
        BigDecimal recognized = metrics.query(MetricsRequest.of(List.of("recognizedRevenue"), List.of())).rows().get(0).measures().get("recognizedRevenue");
        assertThat(recognized).isEqualByComparingTo(invoiced).isEqualByComparingTo("38550.00");
        BigDecimal bySegment = metrics.query(MetricsRequest.of(List.of("recognizedRevenue"), List.of("segment"))).rows().stream()
                .map(row -> row.measures().get("recognizedRevenue")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(bySegment).isEqualTo(recognized);
    }

    @Test
    void revenue_through_graphql() {
        GraphqlEngine engine = FinhubServer.graphql(store, Clock.systemUTC());
        ExecutionResult result = engine.execute(new GraphqlRequest("""
                { mrrMovements(from: "2025-03-01", to: "2025-03-31", by: REGION) { group opening churn fxImpact closing }
                  retention(startMonth: "2025-02-01", endMonth: "2025-03-01") { nrrPct grrPct }
                  recognizedRevenue(from: "2025-01-01", to: "2025-01-31") { recognized deferredBalance } }""", null, null, null));
        assertThat(result.getErrors()).isEmpty();
        Map<String, Object> data = result.getData();
        // March by region: EMEA is C (110 → 120, fx +10); NA is A and B (300 → 150, churn 200, expansion 50).
        assertThat(data.get("mrrMovements").toString())
                .isEqualTo("[{group=EMEA, opening=110.00, churn=0.00, fxImpact=10.00, closing=120.00}, {group=NA, opening=300.00, churn=200.00, fxImpact=0.00, closing=150.00}]");
        assertThat(data.get("retention").toString()).isEqualTo("[{nrrPct=63.4146, grrPct=51.2195}]");
        assertThat(data.get("recognizedRevenue").toString()).isEqualTo("[{recognized=4224.20, deferredBalance=34325.80}]");
    }

    private static String bridge(MrrMovement month) {
        return "%s %s +%s +%s +%s -%s -%s fx%s = %s".formatted(month.month(), month.opening(), month.newMrr(), month.expansion(), month.reactivation(),
                month.contraction(), month.churn(), month.fxImpact(), month.closing());
    }
}
