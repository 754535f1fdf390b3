package io.finhub.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.budget.BudgetVarianceRequest.BudgetVersion;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.store.Store;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Run-rate projections of budget against actual on the budget_projection fixture; every figure is worked out by hand in the comments. */
class BudgetProjectionTest {
    private static final LocalDate FEBRUARY_15 = LocalDate.of(2025, 2, 15);
    private static Store store;
    private static BudgetVarianceQueries queries;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("budget_projection");
        Catalog catalog = StandardCatalog.create();
        BudgetCatalog.register(catalog);
        queries = new BudgetVarianceQueries(new MetricsService(store, catalog), store.calendar());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void a_large_projection_multiplies_before_it_divides() {
        // As of February 15th the quarter has January closed: 300,000,000.00 × 90 / 31 = 870,967,741.9355 → 870,967,741.94
        // (a factor rounded to 10 decimals first, 2.9032258065, gave 870,967,741.95). Budget 3 × 100,000,000 = 300,000,000:
        // projected variance 300,000,000 − 870,967,741.94 = −570,967,741.94.
        BudgetVarianceRow quarter = quarterOf("big", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), BudgetVersion.ORIGINAL, FEBRUARY_15);
        assertThat(quarter.projectedActual()).isEqualByComparingTo("870967741.94");
        assertThat(quarter.projectedVariance()).isEqualByComparingTo("-570967741.94");
    }

    private static BudgetVarianceRow quarterOf(String department, LocalDate from, LocalDate to, BudgetVersion version, LocalDate asOf) {
        List<BudgetVarianceRow> rows = queries.budgetVariance(new BudgetVarianceRequest(List.of(BudgetDimension.DEPARTMENT, BudgetDimension.QUARTER),
                Optional.of(from), Optional.of(to), version, List.of(new Filter("department", Operator.EQ, List.of(department))), asOf, 100, 0)).rows();
        assertThat(rows).extracting(BudgetVarianceRow::periodLabel).startsWith("FY2025-Q1");
        return rows.get(0);
    }
}
