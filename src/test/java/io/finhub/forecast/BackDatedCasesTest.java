package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The back-dated days' cases kept in the store's memory: staged once per day and facts version, shared
 * by concurrent forecasts, dropped beyond the cap only when no forecast reads them, adopted by another
 * service on the store, and replaced when the facts change.
 */
class BackDatedCasesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate DAY = LocalDate.of(2025, 6, 30);

    @Test
    void a_back_dated_day_is_staged_once_and_its_later_forecasts_read_the_same_cases() {
        try (Store store = TestStores.withFixture("forecast_history")) {
            ForecastService forecasts = new ForecastService(store, CLOCK, new ForecastEvents());
            ForecastRequest backDated = new ForecastRequest(Optional.of(DAY), 4, Optional.of(List.of()));

            PortfolioForecast first = forecasts.portfolio(backDated);
            List<Long> tables = dayTables(store);
            PortfolioForecast again = forecasts.portfolio(backDated);
            List<RenewalLine> lines = forecasts.renewals(backDated);

            // One table, the same one (its oid would change had it been staged again).
            assertThat(tables).hasSize(1);
            assertThat(dayTables(store)).isEqualTo(tables);
            assertThat(again.total().modelTotal()).isEqualByComparingTo(first.total().modelTotal());
            assertThat(again.model().intercept()).isEqualTo(first.model().intercept());
            // The kept probabilities are the day's model's: the lines add up to the figures, and a service that never kept
            // anything (another store, same fixture) gives the same total.
            assertThat(lines.stream().map(RenewalLine::modelExpected).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add))
                    .isEqualByComparingTo(first.total().modelRenewalArr());
            try (Store other = TestStores.withFixture("forecast_history")) {
                assertThat(new ForecastService(other, CLOCK, new ForecastEvents()).portfolio(backDated).total().modelTotal())
                        .isEqualByComparingTo(first.total().modelTotal());
            }
        }
    }

    @Test
    void a_day_table_in_the_store_at_the_current_facts_is_read_not_staged_again() {
        try (Store store = TestStores.withFixture("forecast_history")) {
            // Two services on one store: the second looked at the store before the first staged the day.
            ForecastService first = new ForecastService(store, CLOCK, new ForecastEvents());
            ForecastService second = new ForecastService(store, CLOCK, new ForecastEvents());
            ForecastRequest otherDay = new ForecastRequest(Optional.of(DAY.minusDays(45)), 4, Optional.of(List.of()));
            ForecastRequest backDated = new ForecastRequest(Optional.of(DAY), 4, Optional.of(List.of()));
            second.portfolio(otherDay);
            PortfolioForecast staged = first.portfolio(backDated);
            List<Long> tables = dayTables(store);

            PortfolioForecast read = second.portfolio(backDated);

            // Replacing the table would give it a new oid (and could pull it from under the first service's readers).
            assertThat(tables).hasSize(2);
            assertThat(dayTables(store)).isEqualTo(tables);
            assertThat(read.total().modelTotal()).isEqualByComparingTo(staged.total().modelTotal());
        }
    }

    @Test
    void a_restarted_service_reads_the_day_model_from_its_table_and_fits_it_again_only_without_a_readable_one() {
        try (Store store = TestStores.withFixture("forecast_history")) {
            ForecastRequest backDated = new ForecastRequest(Optional.of(DAY), 4, Optional.of(List.of()));
            RenewalModelSummary fitted = new ForecastService(store, CLOCK, new ForecastEvents()).portfolio(backDated).model();
            String table = store.jdbi().withHandle(BackDatedCasesTest::stored).get(0);

            // Read back exactly: every weight to the last bit.
            assertThat(new ForecastService(store, CLOCK, new ForecastEvents()).portfolio(backDated).model()).isEqualTo(fitted);

            // The comment is what a restarted service reads: a changed intercept shows up in its summary.
            String comment = comment(store, table);
            String changed = comment.replace("\"coefficients\":[" + fitted.intercept(), "\"coefficients\":[" + (fitted.intercept() + 0.5));
            assertThat(changed).isNotEqualTo(comment);
            setComment(store, table, changed);
            assertThat(new ForecastService(store, CLOCK, new ForecastEvents()).portfolio(backDated).model().intercept()).isEqualTo(fitted.intercept() + 0.5);

            // An unreadable comment: the model is fitted again from the table's cases.
            setComment(store, table, "{not json");
            assertThat(new ForecastService(store, CLOCK, new ForecastEvents()).portfolio(backDated).model()).isEqualTo(fitted);
        }
    }

    @Test
    void a_kept_day_carries_its_model_probability_for_each_open_case_and_none_for_decided_ones() {
        try (Store store = TestStores.withFixture("forecast_history")) {
            ForecastModels models = new ForecastModels(store, CLOCK);
            store.jdbi().useHandle(handle -> {
                try (ForecastModels.Scope scope = models.scope(handle, Optional.of(DAY), 4)) {
                    RenewalModel model = scope.model().orElseThrow();
                    List<RenewalCase> open = RenewalCases.read(handle, scope.casesTable(), "NOT decided");
                    List<Double> stored = handle.createQuery("SELECT stored_model_probability FROM " + scope.casesTable()
                            + " WHERE NOT decided ORDER BY end_date, contract_id").mapTo(Double.class).list();

                    // Independently: the Java model scores each open case.
                    assertThat(open).isNotEmpty().hasSameSizeAs(stored);
                    for (int i = 0; i < open.size(); i++) {
                        assertThat(stored.get(i)).as(open.get(i).contractId()).isCloseTo(model.probability(open.get(i), 0), org.assertj.core.api.Assertions.within(1e-12));
                    }
                    assertThat(handle.createQuery("SELECT count(*) FROM " + scope.casesTable() + " WHERE decided AND stored_model_probability IS NOT NULL")
                            .mapTo(Long.class).one()).isZero();
                }
            });
        }
    }

    @Test
    void concurrent_forecasts_of_a_new_day_stage_it_once() throws Exception {
        try (Store store = TestStores.withFixture("forecast_history")) {
            BackDatedCases days = new BackDatedCases(store, "USD", "test");
            AtomicInteger staged = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch arrived = new CountDownLatch(6);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int client = 0; client < 6; client++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return store.jdbi().withHandle(handle -> {
                            try (BackDatedCases.Lease lease = days.lease()) {
                                arrived.countDown();
                                return days.get(handle, DAY, 1, () -> {
                                    staged.incrementAndGet();
                                    // Staging lasts until every forecast has come for the day: without the per-day lock they would all stage it.
                                    await(arrived);
                                    return create(handle, days.table(DAY, 1));
                                });
                            }
                        });
                    }));
                }
                go.countDown();
                for (Future<String> answer : answers) {
                    assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(days.table(DAY, 1));
                }
            }
            finally {
                pool.shutdownNow();
            }
            assertThat(staged).hasValue(1);
        }
    }

    @Test
    void beyond_the_cap_the_least_recently_used_day_is_dropped_once_no_forecast_reads_a_kept_table() throws Exception {
        try (Store store = TestStores.withFixture("forecast_history")) {
            BackDatedCases days = new BackDatedCases(store, "USD", "test");
            List<String> tables = new ArrayList<>();
            store.jdbi().useHandle(handle -> {
                for (int i = 0; i < BackDatedCases.MAX_DAYS; i++) {
                    LocalDate day = DAY.minusDays(i);
                    try (BackDatedCases.Lease lease = days.lease()) {
                        tables.add(days.get(handle, day, 1, () -> create(handle, days.table(day, 1))));
                    }
                }
            });
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                store.jdbi().useHandle(handle -> {
                    // This forecast reads the first day again, which makes the second the least recently used.
                    try (BackDatedCases.Lease reading = days.lease()) {
                        assertThat(days.get(handle, DAY, 1, () -> {
                            throw new AssertionError("a kept day was staged again");
                        })).isEqualTo(tables.get(0));
                        // Meanwhile another forecast stages a new day and finishes: the second day is evicted but not dropped yet.
                        LocalDate newest = DAY.plusDays(1);
                        other.submit(() -> store.jdbi().useHandle(otherHandle -> {
                            try (BackDatedCases.Lease lease = days.lease()) {
                                days.get(otherHandle, newest, 1, () -> create(otherHandle, days.table(newest, 1)));
                            }
                        })).get(30, TimeUnit.SECONDS);
                        assertThat(stored(handle)).hasSize(BackDatedCases.MAX_DAYS + 1).contains(tables.get(1));
                    }
                    assertThat(stored(handle)).hasSize(BackDatedCases.MAX_DAYS).doesNotContain(tables.get(1)).contains(tables.get(0));
                });
            }
            finally {
                other.shutdownNow();
            }
        }
    }

    @Test
    void another_service_on_the_store_adopts_the_tables_of_the_current_facts_and_drops_the_others_and_those_kept_in_the_file() {
        try (Store store = TestStores.withFixture("forecast_history")) {
            BackDatedCases before = new BackDatedCases(store, "USD", "test");
            BackDatedCases otherDefinition = new BackDatedCases(store, "USD", "the staging SQL of an older release");
            BackDatedCases euro = new BackDatedCases(store, "EUR", "test");
            String inFile = "forecast_case_day_usd_20250630_v7_0a1b2c3d";
            store.jdbi().useHandle(handle -> {
                create(handle, before.table(DAY, 7));
                create(handle, before.table(DAY, 6));
                create(handle, otherDefinition.table(DAY, 7));
                create(handle, euro.table(DAY, 6));
                // Where an older release kept the days: in the database file.
                create(handle, inFile);
            });
            assertThat(before.table(DAY, 7)).startsWith(store.scratchCatalog() + ".main.");

            BackDatedCases restarted = new BackDatedCases(store, "USD", "test");
            store.jdbi().useHandle(handle -> {
                try (BackDatedCases.Lease lease = restarted.lease()) {
                    assertThat(restarted.get(handle, DAY, 7, () -> {
                        throw new AssertionError("the kept day was staged again");
                    })).isEqualTo(before.table(DAY, 7));
                }
                // Older facts, another definition and the file's table are dropped; another currency's tables are not this service's to drop.
                assertThat(stored(handle)).containsExactlyInAnyOrder(before.table(DAY, 7), euro.table(DAY, 6));
            });
        }
    }

    @Test
    void the_kept_days_are_in_memory_and_gone_with_the_store(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) {
        java.nio.file.Path file = directory.resolve("finhub.duckdb");
        try (Store store = TestStores.withFixture("forecast_history", io.finhub.store.StoreConfig.file(file))) {
            new ForecastService(store, CLOCK, new ForecastEvents()).portfolio(new ForecastRequest(Optional.of(DAY), 4, Optional.of(List.of())));
            assertThat(store.jdbi().withHandle(BackDatedCasesTest::stored)).hasSize(1).allMatch(table -> table.startsWith(store.scratchCatalog() + "."));
            long inFile = store.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND starts_with(table_name, 'forecast_case_day_')")
                    .mapTo(Long.class).one());
            assertThat(inFile).isZero();
        }
        try (Store reopened = io.finhub.store.Store.open(io.finhub.store.StoreConfig.file(file))) {
            assertThat(reopened.jdbi().withHandle(BackDatedCasesTest::stored)).isEmpty();
        }
    }

    @Test
    void after_a_change_of_the_facts_the_day_is_staged_again_and_the_old_table_dropped() {
        try (Store store = TestStores.withFixture("forecast_history")) {
            ForecastService forecasts = new ForecastService(store, CLOCK, new ForecastEvents());
            ForecastRequest backDated = new ForecastRequest(Optional.of(DAY), 4, Optional.of(List.of()));
            forecasts.portfolio(backDated);
            List<String> before = store.jdbi().withHandle(BackDatedCasesTest::stored);

            store.write("test", List.of("fact_health_score"), handle -> handle.execute("UPDATE fact_health_score SET health_score = 100 - health_score"));
            forecasts.portfolio(backDated);

            List<String> after = store.jdbi().withHandle(BackDatedCasesTest::stored);
            assertThat(before).hasSize(1);
            assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
        }
    }

    @Test
    void forgetting_the_back_dated_days_drops_every_kept_table() {
        try (Store store = TestStores.withFixture("forecast_history")) {
            new ForecastService(store, CLOCK, new ForecastEvents()).portfolio(new ForecastRequest(Optional.of(DAY), 4, Optional.of(List.of())));
            store.jdbi().useHandle(handle -> create(handle, new BackDatedCases(store, "EUR", "test").table(DAY, 1)));

            assertThat(ForecastService.forgetBackDatedDays(store)).isEqualTo(2);

            assertThat(store.jdbi().withHandle(BackDatedCasesTest::stored)).isEmpty();
        }
    }

    private static String comment(Store store, String table) {
        return store.jdbi().withHandle(handle -> BackDatedCases.comment(handle, table).orElseThrow());
    }

    private static void setComment(Store store, String table, String comment) {
        store.jdbi().useHandle(handle -> handle.execute("COMMENT ON TABLE " + table + " IS '" + comment.replace("'", "''") + "'"));
    }

    private static List<Long> dayTables(Store store) {
        return store.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT table_oid FROM duckdb_tables() WHERE starts_with(table_name, 'forecast_case_day_') ORDER BY table_name").mapTo(Long.class).list());
    }

    /** Every day table, by the qualified name {@link BackDatedCases#table} gives it (the file's by its name alone). */
    private static List<String> stored(org.jdbi.v3.core.Handle handle) {
        return handle.createQuery("""
                SELECT CASE WHEN database_name = current_database() THEN table_name ELSE database_name || '.main.' || table_name END
                FROM duckdb_tables() WHERE starts_with(table_name, 'forecast_case_day_')""").mapTo(String.class).list();
    }

    private static String create(org.jdbi.v3.core.Handle handle, String table) {
        handle.execute("CREATE TABLE " + table + " AS SELECT 1 AS x");
        return table;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
