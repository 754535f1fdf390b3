package io.finhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DerivedTablesTest {
    @Test
    void a_build_inside_an_open_transaction_is_refused_and_one_outside_commits_on_its_own() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            DerivedTables derived = new DerivedTables(store);
            String key = DerivedTables.key("example", "CREATE TABLE x AS SELECT 1");
            // Jdbi gives the nested call the thread's open handle: the build would commit with this transaction, after the
            // lock is released, and another thread would build the same table meanwhile (the health signals' write-write conflict).
            assertThatThrownBy(() -> store.jdbi().useTransaction(outer -> derived.ensureFresh(key, handle -> handle.execute("CREATE TABLE x AS SELECT 1"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be built outside an open transaction");
            long tables = store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'x'")
                    .mapTo(Long.class).one());
            assertThat(tables).isZero();

            derived.ensureFresh(key, handle -> handle.execute("CREATE TABLE x AS SELECT 1"));
            assertThat(derived.builtVersion(key)).isPresent();
        }
    }

    @Test
    void a_table_is_built_once_per_data_version_and_again_when_its_definition_changes() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            DerivedTables derived = new DerivedTables(store);
            AtomicInteger builds = new AtomicInteger();
            String v1 = DerivedTables.key("example", "CREATE TABLE x AS SELECT 1");
            String v2 = DerivedTables.key("example", "CREATE TABLE x AS SELECT 2");
            assertThat(v1).startsWith("example@").isNotEqualTo(v2).isEqualTo(DerivedTables.key("example", "CREATE TABLE x AS SELECT 1"));

            derived.ensureFresh(v1, handle -> builds.incrementAndGet());
            derived.ensureFresh(v1, handle -> builds.incrementAndGet());
            assertThat(builds).hasValue(1);

            // A server upgraded with a new definition finds the old build stale, on the same data version.
            derived.ensureFresh(v2, handle -> builds.incrementAndGet());
            assertThat(builds).hasValue(2);

            store.write("test", List.of("dim_currency"), handle -> handle.execute("INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2)"));
            derived.ensureFresh(v2, handle -> builds.incrementAndGet());
            assertThat(builds).hasValue(3);
        }
    }

    @Test
    void a_table_with_named_inputs_is_rebuilt_only_when_one_of_them_changes() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            DerivedTables derived = new DerivedTables(store);
            AtomicInteger builds = new AtomicInteger();
            List<String> inputs = List.of("fact_invoice", "fact_fx_rate");
            derived.ensureFresh("schedule", inputs, handle -> builds.incrementAndGet());
            assertThat(builds).hasValue(1);

            store.write("test", List.of("dim_currency"), handle -> handle.execute("INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2)"));
            derived.ensureFresh("schedule", inputs, handle -> builds.incrementAndGet());
            assertThat(builds).as("a change to another dataset").hasValue(1);

            store.write("test", List.of("dim_currency", "fact_fx_rate"), handle -> handle.execute("INSERT INTO dim_currency VALUES ('EUR', 'Euro', 2)"));
            derived.ensureFresh("schedule", inputs, handle -> builds.incrementAndGet());
            assertThat(builds).as("a change that names one of the inputs").hasValue(2);
            assertThat(derived.builtVersion("schedule")).contains(store.dataVersion());
            derived.ensureFresh("schedule", inputs, handle -> builds.incrementAndGet());
            assertThat(builds).hasValue(2);
        }
    }

    @Test
    void building_a_table_under_one_key_makes_every_other_key_of_that_table_stale() {
        try (Store store = Store.open(StoreConfig.inMemory())) {
            DerivedTables derived = new DerivedTables(store);
            List<String> built = new java.util.ArrayList<>();
            String usd = DerivedTables.key("schedule", "USD", "CREATE OR REPLACE TABLE schedule AS SELECT 1");
            String eur = DerivedTables.key("schedule", "EUR", "CREATE OR REPLACE TABLE schedule AS SELECT 1");
            String other = DerivedTables.key("schedule_month", "USD", "CREATE OR REPLACE TABLE schedule_month AS SELECT 1");
            derived.ensureFresh(usd, handle -> built.add("USD"));
            derived.ensureFresh(other, handle -> built.add("other"));
            derived.ensureFresh(eur, handle -> built.add("EUR"));
            // The physical table holds EUR rows now, at the same data version: USD is stale, and the other table is not.
            derived.ensureFresh(usd, handle -> built.add("USD"));
            derived.ensureFresh(other, handle -> built.add("other"));
            assertThat(built).containsExactly("USD", "other", "EUR", "USD");
            assertThat(derived.builtVersion(eur)).isEmpty();
            assertThat(derived.builtVersion(usd)).contains(store.dataVersion());

            // A store that recorded both keys of one table (as before it was tracked once per table) trusts neither.
            store.write("test", List.of("finhub_derived"), handle -> handle.execute("INSERT INTO finhub_derived VALUES ('" + eur + "', 1, now()::TIMESTAMP, 0)"));
            assertThat(new DerivedTables(store).builtVersion(usd)).isEmpty();
            assertThat(new DerivedTables(store).builtVersion(eur)).isEmpty();
        }
    }
}
