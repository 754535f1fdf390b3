package io.finhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.error.FinhubException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path directory;

    @Test
    void migrations_are_idempotent_across_restarts() {
        Path file = directory.resolve("finhub.duckdb");
        List<String> tablesAfterFirstStart;
        try (Store store = Store.open(StoreConfig.file(file))) {
            tablesAfterFirstStart = tables(store);
            store.jdbi().useHandle(handle -> handle.execute(
                    "INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2)"));
        }
        try (Store store = Store.open(StoreConfig.file(file))) {
            assertThat(tables(store)).isEqualTo(tablesAfterFirstStart);
            assertThat(count(store, "SELECT count(*) FROM finhub_schema_migration")).isEqualTo(Migrations.load().size());
            assertThat(count(store, "SELECT count(*) FROM dim_currency")).isEqualTo(1);
        }
        assertThat(tablesAfterFirstStart).contains("dim_customer", "fact_touchpoint", "fact_gl_actual", "fact_fx_rate", "dim_date");
    }

    @Test
    void a_new_file_is_written_in_the_newest_storage_format_and_an_older_file_keeps_its_own() throws Exception {
        Path fresh = directory.resolve("fresh.duckdb");
        try (Store store = Store.open(StoreConfig.file(fresh))) {
            // dictionary-with-FSST string compression, what makes bulk imports cheaper to write, came with format v1.4.
            assertThat(storageVersion(store)).matches("v1\\.(\\d+)\\.\\d+\\+").satisfies(version ->
                    assertThat(Integer.parseInt(version.split("\\.")[1])).isGreaterThanOrEqualTo(4));
        }
        Path older = directory.resolve("older.duckdb");
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + older)) {
            connection.createStatement().execute("CREATE TABLE kept AS SELECT 42 AS answer");
        }
        try (Store store = Store.open(StoreConfig.file(older))) {
            assertThat(storageVersion(store)).isEqualTo("v1.0.0+");
            assertThat(count(store, "SELECT answer FROM kept")).isEqualTo(42);
        }
    }

    @Test
    void the_scratch_catalog_is_in_memory_shared_by_every_connection_and_named_apart_from_the_file() {
        try (Store store = Store.open(StoreConfig.file(directory.resolve("finhub.duckdb")))) {
            assertThat(store.scratchCatalog()).isEqualTo(Store.SCRATCH_CATALOG);
            store.jdbi().useHandle(handle -> handle.execute("CREATE TABLE " + store.scratchCatalog() + ".main.kept AS SELECT 42 AS answer"));
            // Another connection of the instance sees it; it is not in the file.
            assertThat(count(store, "SELECT answer FROM " + store.scratchCatalog() + ".main.kept")).isEqualTo(42);
            String path = store.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT path FROM duckdb_databases() WHERE database_name = :name").bind("name", store.scratchCatalog()).mapTo(String.class).one());
            assertThat(path).isNull();
        }
        try (Store store = Store.open(StoreConfig.file(directory.resolve(Store.SCRATCH_CATALOG + ".duckdb")))) {
            assertThat(store.scratchCatalog()).isEqualTo(Store.SCRATCH_CATALOG + "_1");
            store.jdbi().useHandle(handle -> handle.execute("CREATE TABLE " + store.scratchCatalog() + ".main.kept AS SELECT 1 AS answer"));
        }
    }

    private static String storageVersion(Store store) {
        return store.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()").mapTo(String.class).one());
    }

    @Test
    void a_committed_write_moves_the_data_version_and_tells_listeners_a_failed_one_changes_nothing() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            List<DataChanged> events = new java.util.ArrayList<>();
            store.onDataChanged(events::add);
            long version = store.write("test", List.of("dim_currency"), handle -> handle.execute("INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2)"));
            assertThat(version).isEqualTo(1);
            assertThat(store.dataVersion()).isEqualTo(1);
            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.version()).isEqualTo(1);
                assertThat(event.datasets()).containsExactly("dim_currency");
            });

            assertThatThrownBy(() -> store.write("test", List.of("dim_currency"), handle -> {
                handle.execute("INSERT INTO dim_currency VALUES ('EUR', 'Euro', 2)");
                handle.execute("INSERT INTO dim_currency VALUES ('bad', 'lower case', 2)");
            })).isInstanceOf(RuntimeException.class);
            assertThat(count(store, "SELECT count(*) FROM dim_currency")).isEqualTo(1);
            assertThat(store.dataVersion()).isEqualTo(1);
            assertThat(events).hasSize(1);
        }
    }

    @Test
    void derived_tables_are_rebuilt_after_each_committed_change_before_anyone_asks() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            DerivedTables derived = new DerivedTables(store);
            List<Long> builds = new java.util.concurrent.CopyOnWriteArrayList<>();
            derived.register("currency_count", () -> derived.ensureFresh("currency_count", handle -> {
                handle.execute("CREATE OR REPLACE TABLE derived_currency_count AS SELECT count(*) AS currencies FROM dim_currency");
                builds.add(store.dataVersion());
            }));
            derived.refreshInBackground(Runnable::run);
            store.write("test", List.of("dim_currency"), handle -> handle.execute("INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2)"));
            // The rebuild after a change starts DerivedTables.REBUILD_DELAY later, on its own.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!derived.builtVersion("currency_count").equals(java.util.Optional.of(1L)) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(builds).containsExactly(0L, 1L);
            assertThat(derived.builtVersion("currency_count")).contains(1L);
            assertThat(count(store, "SELECT currencies FROM derived_currency_count")).isEqualTo(1);
            derived.refreshAll();
            assertThat(builds).as("an up-to-date table is not rebuilt").hasSize(2);
        }
    }

    @Test
    void no_money_column_is_floating_point() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            List<String> floatingColumns = store.jdbi().withHandle(handle -> handle.createQuery("""
                    SELECT table_name || '.' || column_name FROM information_schema.columns
                    WHERE data_type IN ('DOUBLE', 'FLOAT', 'REAL')""").mapTo(String.class).list());
            // Only the fitted statistical parameters of the renewal model are floating point; no amount ever is.
            assertThat(floatingColumns).allSatisfy(column -> assertThat(column).startsWith("forecast_model"))
                    .noneSatisfy(column -> assertThat(column).containsAnyOf("amount", "arr", "mrr", "revenue", "cost", "value", "spend", "budget"));
        }
    }

    @Test
    void a_second_process_on_the_same_file_is_told_the_database_is_in_use() throws Exception {
        Path file = directory.resolve("locked.duckdb");
        try (Store ignored = Store.open(StoreConfig.file(file))) {
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(other.getInputStream().readAllBytes());
            assertThat(other.waitFor()).isEqualTo(0);
            assertThat(output).contains("DATABASE_IN_USE").contains("is in use by another FinHub process");
        }
    }

    /** Runs in a separate JVM: DuckDB's file lock is per process. */
    public static final class LockProbe {
        public static void main(String[] args) {
            try (Store ignored = Store.open(StoreConfig.file(Path.of(args[0])))) {
                System.out.println("opened");
            }
            catch (FinhubException e) {
                System.out.println(e.code() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void date_dimension_follows_the_fiscal_start_month() {
        try (Store store = Store.open(StoreConfig.inMemory().withFiscalStartMonth(7))) {
            record Row(int fiscalYear, int fiscalQuarter, LocalDate quarterStart, LocalDate yearStart) {}
            Row row = store.jdbi().withHandle(handle -> handle.createQuery("""
                    SELECT fiscal_year, fiscal_quarter, fiscal_quarter_start, fiscal_year_start
                    FROM dim_date WHERE date_key = DATE '2024-08-15'""")
                    .map((rs, ctx) -> new Row(rs.getInt(1), rs.getInt(2), rs.getObject(3, LocalDate.class), rs.getObject(4, LocalDate.class)))
                    .one());
            // July start: FY2025 = 2024-07-01 .. 2025-06-30; August is in its first quarter.
            assertThat(row).isEqualTo(new Row(2025, 1, LocalDate.of(2024, 7, 1), LocalDate.of(2024, 7, 1)));
        }
    }

    @Test
    void sql_and_java_fiscal_buckets_agree_for_every_start_month() {
        List<LocalDate> days = LocalDate.of(2023, 1, 1).datesUntil(LocalDate.of(2027, 1, 1)).toList();
        try (Store store = Store.open(StoreConfig.inMemory())) {
            for (int startMonth = 1; startMonth <= 12; startMonth++) {
                FiscalCalendar calendar = new FiscalCalendar(startMonth);
                for (TimeGrain grain : TimeGrain.values()) {
                    String sql = "SELECT list(" + calendar.periodStartSql(grain, "day") + " ORDER BY day) FROM range(DATE '2023-01-01', DATE '2027-01-01', INTERVAL 1 DAY) t(day)";
                    List<LocalDate> fromSql = store.jdbi().withHandle(handle -> handle.createQuery(sql)
                            .map((resultSet, context) -> toDates((java.sql.Array) resultSet.getArray(1)))
                            .one());
                    List<LocalDate> fromJava = days.stream().map(day -> calendar.periodStart(grain, day)).toList();
                    assertThat(fromSql).as("start month %d, grain %s", startMonth, grain).isEqualTo(fromJava);
                }
            }
        }
    }

    private static List<LocalDate> toDates(java.sql.Array array) throws java.sql.SQLException {
        List<LocalDate> dates = new java.util.ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            dates.add(value instanceof LocalDate date ? date : LocalDate.parse(value.toString().substring(0, 10)));
        }
        return dates;
    }

    @Test
    void fiscal_year_start_and_labels() {
        FiscalCalendar february = new FiscalCalendar(2);
        assertThat(february.fiscalYearStart(2025)).isEqualTo(LocalDate.of(2024, 2, 1));
        assertThat(february.label(TimeGrain.QUARTER, LocalDate.of(2024, 11, 1))).isEqualTo("FY2025-Q4");
        assertThat(new FiscalCalendar(1).label(TimeGrain.QUARTER, LocalDate.of(2025, 4, 1))).isEqualTo("FY2025-Q2");
        assertThat(new FiscalCalendar(1).label(TimeGrain.WEEK, LocalDate.of(2024, 12, 30))).isEqualTo("2025-W01");
        assertThatThrownBy(() -> new FiscalCalendar(13)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void close_waits_for_the_connections_in_use_and_hands_out_no_more() throws Exception {
        Store store = Store.open(StoreConfig.inMemory());
        CountDownLatch inUse = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Integer> answer = new AtomicReference<>();
        Thread worker = new Thread(() -> store.jdbi().useHandle(handle -> {
            inUse.countDown();
            await(finish);
            answer.set(handle.createQuery("SELECT 42").mapTo(Integer.class).one());
        }));
        worker.start();
        inUse.await();
        Thread closer = new Thread(store::close);
        closer.start();
        closer.join(300);

        assertThat(closer.isAlive()).as("close waits while a connection is in use").isTrue();
        assertThat(store.isClosed()).as("but the store already counts as closed for background work").isTrue();
        assertThatThrownBy(() -> count(store, "SELECT 1")).hasMessageContaining("the store is closed");

        finish.countDown();
        worker.join(5_000);
        closer.join(5_000);
        assertThat(answer.get()).as("the statement in flight finished on an open database").isEqualTo(42);
        assertThat(closer.isAlive()).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long count(Store store, String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static List<String> tables(Store store) {
        return store.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT table_name FROM information_schema.tables ORDER BY table_name").mapTo(String.class).list());
    }

}
