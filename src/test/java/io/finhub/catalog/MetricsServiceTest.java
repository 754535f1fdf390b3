package io.finhub.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.TestStores;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsRequest.Order;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Catalog queries against the tiny company fixture; every expected figure is worked out by hand in the comments. */
class MetricsServiceTest {
    private static Store store;
    private static MetricsService metrics;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("tiny_company");
        metrics = new MetricsService(store, StandardCatalog.create());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void spend_converts_each_row_at_its_own_dates_rate() {
        // 1000.00 USD + 100.00 EUR × 1.10 + 300.00 USD = 1410.00
        MetricsResult result = metrics.query(MetricsRequest.of(List.of("spend"), List.of()));
        assertThat(result.rows()).singleElement().satisfies(row -> assertThat(row.measures().get("spend")).isEqualByComparingTo("1410.00"));
        assertThat(result.currency()).isEqualTo("USD");
    }

    @Test
    void spend_and_revenue_by_channel_by_quarter() {
        MetricsResult result = metrics.query(MetricsRequest.of(List.of("spend", "revenue"), List.of("channel"))
                .withGrain(TimeGrain.QUARTER)
                .withRange(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)));
        // Q1: search spend 1110.00, revenue of c1 (acquired by search) 5000.00.
        // Q2: email spend 300.00, revenue of c2 (acquired by email) 2000 EUR × 1.20 = 2400.00;
        //     search revenue 1000.00 (c1's expansion, c1 acquired by search), no search spend.
        assertThat(result.rows()).extracting(MetricsServiceTest::summary).containsExactly(
                "FY2025-Q1 search Paid search spend=1110.00 revenue=5000.00",
                "FY2025-Q2 email Email spend=300.00 revenue=2400.00",
                "FY2025-Q2 search Paid search spend=null revenue=1000.00");
        assertThat(result.totalCount()).isEqualTo(3);
    }

    @Test
    void budget_and_actual_aggregate_each_fact_before_joining() {
        MetricsResult result = metrics.query(MetricsRequest.of(List.of("budget", "budgetReforecast", "actual"), List.of("department"))
                .withGrain(TimeGrain.MONTH)
                .withFilters(List.of(new Filter("department", Operator.EQ, List.of("mkt")))));
        // January: budget 500, no reforecast, actual 450.
        // February: budget 800 (not 1600: two GL lines must not duplicate it), reforecast 950, actual 600 + 400 = 1000.
        assertThat(result.rows()).extracting(MetricsServiceTest::summary).containsExactly(
                "2025-01 mkt Marketing budget=500.00 budgetReforecast=null actual=450.00",
                "2025-02 mkt Marketing budget=800.00 budgetReforecast=950.00 actual=1000.00");
    }

    @Test
    void totals_over_a_dimension_tie_out_to_the_ungrouped_total() {
        BigDecimal total = metrics.query(MetricsRequest.of(List.of("revenue"), List.of())).rows().get(0).measures().get("revenue");
        BigDecimal sumOverSegments = metrics.query(MetricsRequest.of(List.of("revenue"), List.of("segment"))).rows().stream()
                .map(row -> row.measures().get("revenue"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        // 5000.00 + 2400.00 + 1000.00
        assertThat(total).isEqualByComparingTo("8400.00");
        assertThat(sumOverSegments).isEqualTo(total);
    }

    @Test
    void derived_measure_is_exact_and_sortable() {
        MetricsResult result = metrics.query(MetricsRequest.of(List.of("averageDealSize", "conversions"), List.of("segment"))
                .withOrder(List.of(new Order("averageDealSize", true))));
        // SMB (c1): (5000 + 1000) / 2 = 3000.00; ENTERPRISE (c2): 2400 / 1 = 2400.00
        assertThat(result.rows()).extracting(row -> row.dimensions().get("segment") + "=" + row.measures().get("averageDealSize"))
                .containsExactly("SMB=3000.00", "ENTERPRISE=2400.00");
    }

    @Test
    void filters_order_and_paging() {
        MetricsRequest byDealType = MetricsRequest.of(List.of("revenue"), List.of("dealType"))
                .withFilters(List.of(new Filter("region", Operator.IN, List.of("NA", "EMEA"))))
                .withOrder(List.of(new Order("revenue", true)));
        MetricsResult firstPage = metrics.query(byDealType.withPage(1, 0));
        MetricsResult secondPage = metrics.query(byDealType.withPage(1, 1));
        // NEW_BUSINESS 7400.00 (5000 + 2400) before EXPANSION 1000.00
        assertThat(firstPage.rows()).extracting(row -> row.dimensions().get("dealType")).containsExactly("NEW_BUSINESS");
        assertThat(secondPage.rows()).extracting(row -> row.dimensions().get("dealType")).containsExactly("EXPANSION");
        assertThat(firstPage.totalCount()).isEqualTo(2);
        assertThat(metrics.query(byDealType.withPage(5, 10)).totalCount()).isEqualTo(2);

        MetricsResult notSearch = metrics.query(MetricsRequest.of(List.of("touchpoints", "journeys"), List.of())
                .withFilters(List.of(new Filter("channel", Operator.NE, List.of("email")))));
        assertThat(notSearch.rows().get(0).measures()).isEqualTo(Map.of("touchpoints", new BigDecimal(2), "journeys", new BigDecimal(2)));
    }

    @Test
    void fiscal_quarters_follow_the_configured_start_month() {
        try (Store february = TestStores.withFixture("tiny_company", StoreConfig.inMemory().withFiscalStartMonth(2))) {
            MetricsService service = new MetricsService(february, StandardCatalog.create());
            MetricsResult result = service.query(MetricsRequest.of(List.of("actual"), List.of()).withGrain(TimeGrain.QUARTER));
            // With a February start, January 2025 closes FY2025 (Q4: Nov–Jan), February opens FY2026.
            assertThat(result.rows()).extracting(row -> row.periodLabel() + "=" + row.measures().get("actual"))
                    .containsExactly("FY2025-Q4=450.00", "FY2026-Q1=1000.00");
            assertThat(result.rows().get(0).period()).isEqualTo(LocalDate.of(2024, 11, 1));
        }
    }

    @Test
    void a_missing_fx_rate_is_an_error_naming_currency_and_date() {
        try (Store other = TestStores.withFixture("tiny_company", StoreConfig.inMemory().withReportingCurrency("GBP"))) {
            MetricsService service = new MetricsService(other, StandardCatalog.create());
            assertThatThrownBy(() -> service.query(MetricsRequest.of(List.of("spend"), List.of())))
                    .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FX_RATE))
                    .hasMessageContaining("from USD to GBP on 2025-0");
        }
    }

    @Test
    void large_foreign_amounts_convert_without_overflow() {
        try (Store large = TestStores.withFixture("tiny_company")) {
            large.write("test", List.of("fact_spend"), handle -> handle.execute(
                    "INSERT INTO fact_spend VALUES ('big', DATE '2025-02-10', 'mkt', 'search', 's-q1', NULL, NULL, 'MEDIA', 9999999999999999.99, 'EUR')"));
            MetricsService service = new MetricsService(large, StandardCatalog.create());
            // 9,999,999,999,999,999.99 EUR × 1.10 = 10,999,999,999,999,999.989 → 10,999,999,999,999,999.99; + 1,410.00 = 11,000,000,000,001,409.99.
            assertThat(service.query(MetricsRequest.of(List.of("spend"), List.of())).rows().get(0).measures().get("spend"))
                    .isEqualByComparingTo("11000000000001409.99");
        }
    }

    @Test
    void unknown_measure_and_disallowed_dimension_are_named() {
        assertThatThrownBy(() -> metrics.query(MetricsRequest.of(List.of("profit"), List.of())))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MEASURE))
                .hasMessageContaining("'profit'");
        assertThatThrownBy(() -> metrics.query(MetricsRequest.of(List.of("spend"), List.of("segment"))))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_NOT_ALLOWED))
                .hasMessageContaining("measure 'spend' cannot be grouped by dimension 'segment'");
        assertThatThrownBy(() -> metrics.query(MetricsRequest.of(List.of("spend"), List.of()).withRange(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 1, 1))))
                .isInstanceOfSatisfying(FinhubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATE_RANGE));
    }

    @Test
    void filter_values_are_bound_not_spliced() {
        MetricsResult result = metrics.query(MetricsRequest.of(List.of("spend"), List.of())
                .withFilters(List.of(new Filter("channel", Operator.EQ, List.of("search' OR '1'='1")))));
        // An ungrouped request always has its one total row; here it has no data.
        assertThat(result.rows()).singleElement().satisfies(row -> assertThat(row.measures().get("spend")).isNull());
    }

    private static String summary(MetricsRow row) {
        StringBuilder text = new StringBuilder(row.periodLabel());
        row.dimensions().forEach((name, value) -> text.append(' ').append(value).append(' ').append(row.labels().get(name)));
        row.measures().forEach((name, value) -> text.append(' ').append(name).append('=').append(value == null ? "null" : value.toPlainString()));
        return text.toString();
    }
}
