package io.finhub.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.audit.AuditEntry;
import io.finhub.audit.AuditLog;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a real DuckDB file. Today is 2026-06-15: touchpoints keep 24 months (cutoff
 * 2024-06-15), spend keeps 12 (cutoff 2025-06-15), subscriptions keep 6 by their end (cutoff 2025-12-15).
 */
class RetentionServiceTest {
    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-06-15T10:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;
    private Store store;
    private RetentionService retention;

    @BeforeEach
    void open() {
        store = Store.open(StoreConfig.file(directory.resolve("finhub.duckdb")));
        store.write("test", List.of("fact_touchpoint", "fact_spend", "fact_subscription"), handle -> handle.createScript("""
                INSERT INTO fact_touchpoint VALUES
                    ('tp-old', 'j1', 'c1', NULL, 'search', NULL, TIMESTAMP '2024-06-14 23:59:59'),
                    ('tp-at-cutoff', 'j1', 'c1', NULL, 'search', NULL, TIMESTAMP '2024-06-15 00:00:00'),
                    ('tp-young', 'j2', NULL, 'lead-1', 'email', NULL, TIMESTAMP '2026-01-02 08:00:00');
                INSERT INTO fact_spend VALUES
                    ('sp-old', DATE '2025-06-14', 'mkt', 'search', NULL, NULL, NULL, 'MEDIA', 100.00, 'USD'),
                    ('sp-young', DATE '2025-06-15', 'mkt', 'search', NULL, NULL, NULL, 'MEDIA', 200.00, 'USD');
                INSERT INTO fact_subscription VALUES
                    ('sub-ended-long-ago', 'c1', NULL, 'p1', DATE '2020-01-01', DATE '2021-01-01', 10.00, 'USD', 1),
                    ('sub-open', 'c1', NULL, 'p1', DATE '2020-01-01', NULL, 10.00, 'USD', 1);
                """).execute());
        retention = new RetentionService(store, TODAY);
        retention.set(new RetentionPolicy("fact_touchpoint", 24), "test:admin");
        retention.set(new RetentionPolicy("fact_spend", 12), "test:admin");
        retention.set(new RetentionPolicy("fact_subscription", 6), "test:admin");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void rows_older_than_the_cutoff_go_younger_ones_stay_and_the_counts_are_reported() {
        RetentionRun run = retention.apply(false, "test:admin");

        assertThat(run.purges()).extracting(purge -> purge.policy().dataset(), RetentionRun.Purge::cutoff, RetentionRun.Purge::rows).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fact_spend", LocalDate.parse("2025-06-15"), 1L),
                org.assertj.core.groups.Tuple.tuple("fact_subscription", LocalDate.parse("2025-12-15"), 1L),
                org.assertj.core.groups.Tuple.tuple("fact_touchpoint", LocalDate.parse("2024-06-15"), 1L));
        assertThat(ids("SELECT touchpoint_id FROM fact_touchpoint")).containsExactlyInAnyOrder("tp-at-cutoff", "tp-young");
        assertThat(ids("SELECT spend_id FROM fact_spend")).containsExactly("sp-young");
        assertThat(ids("SELECT subscription_id FROM fact_subscription")).containsExactly("sub-open");
    }

    @Test
    void a_run_moves_the_data_version_and_tells_listeners_which_datasets_changed_as_an_import_does() {
        long before = store.dataVersion();
        AtomicReference<List<String>> changed = new AtomicReference<>();
        store.onDataChanged(change -> changed.set(change.datasets()));

        RetentionRun run = retention.apply(false, "test:admin");

        assertThat(run.dataVersion()).hasValue(before + 1);
        assertThat(store.dataVersion()).isEqualTo(before + 1);
        assertThat(changed.get()).containsExactlyInAnyOrder("fact_spend", "fact_subscription", "fact_touchpoint");
    }

    @Test
    void the_run_is_audited_with_its_counts_and_the_chain_still_verifies() throws Exception {
        retention.apply(false, "test:admin");

        AuditLog audit = new AuditLog(store, TODAY);
        List<AuditEntry> entries = audit.entries(0, 100);
        AuditEntry last = entries.get(entries.size() - 1);
        assertThat(last.action()).isEqualTo("retention");
        assertThat(last.actor()).isEqualTo("test:admin");
        JsonNode detail = JSON.readTree(last.detail());
        assertThat(detail.path("datasets")).hasSize(3);
        for (JsonNode dataset : detail.path("datasets")) {
            assertThat(dataset.path("deleted").asLong()).as(dataset.toString()).isEqualTo(1);
        }
        assertThat(entries).extracting(AuditEntry::action).containsExactly("retention.policy.set", "retention.policy.set", "retention.policy.set", "retention");
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void a_dry_run_counts_and_changes_nothing() {
        long version = store.dataVersion();
        long auditEntries = new AuditLog(store, TODAY).entries(0, 100).size();

        RetentionRun run = retention.apply(true, "test:admin");

        assertThat(run.dryRun()).isTrue();
        assertThat(run.totalRows()).isEqualTo(3);
        assertThat(run.dataVersion()).isEmpty();
        assertThat(store.dataVersion()).isEqualTo(version);
        assertThat(ids("SELECT touchpoint_id FROM fact_touchpoint")).hasSize(3);
        assertThat(ids("SELECT spend_id FROM fact_spend")).hasSize(2);
        assertThat(new AuditLog(store, TODAY).entries(0, 100)).hasSize((int) auditEntries);
    }

    @Test
    void a_second_run_finds_nothing_left_and_does_not_move_the_data_version() {
        retention.apply(false, "test:admin");
        long version = store.dataVersion();

        RetentionRun again = retention.apply(false, "test:admin");

        assertThat(again.totalRows()).isZero();
        assertThat(again.dataVersion()).isEmpty();
        assertThat(store.dataVersion()).isEqualTo(version);
    }

    @Test
    void a_policy_for_an_unknown_dataset_or_of_non_positive_months_is_rejected_naming_it() {
        assertThatThrownBy(() -> new RetentionPolicy("fact_nonsense", 12))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("fact_nonsense")
                .hasMessageContaining("fact_touchpoint");
        assertThatThrownBy(() -> new RetentionPolicy("dim_customer", 12))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("dim_customer");
        assertThatThrownBy(() -> new RetentionPolicy("fact_touchpoint", 0))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("fact_touchpoint")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> new RetentionPolicy("fact_spend", -3))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("was -3");
    }

    @Test
    void a_stored_policy_edited_by_hand_to_name_an_unknown_table_stops_the_run_naming_it_and_deletes_nothing() {
        store.jdbi().useHandle(handle -> handle.execute("INSERT INTO retention_policy VALUES ('audit_log', 1, now()::TIMESTAMP, 'mallory')"));

        assertThatThrownBy(() -> retention.apply(false, "test:admin"))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("audit_log");
        assertThat(ids("SELECT touchpoint_id FROM fact_touchpoint")).hasSize(3);
    }

    @Test
    void removing_a_policy_keeps_that_datasets_rows_and_is_audited() {
        retention.remove("fact_spend", "test:admin");

        retention.apply(false, "test:admin");

        assertThat(ids("SELECT spend_id FROM fact_spend")).containsExactlyInAnyOrder("sp-old", "sp-young");
        assertThat(new AuditLog(store, TODAY).entries(0, 100)).extracting(AuditEntry::action).contains("retention.policy.remove");
        assertThatThrownBy(() -> retention.remove("fact_spend", "test:admin")).isInstanceOf(FinhubException.class).hasMessageContaining("fact_spend");
    }

    private List<String> ids(String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    @Test
    void a_run_whose_audit_entry_cannot_be_written_deletes_nothing() throws Exception {
        long entriesBefore = count("SELECT count(*) FROM audit_log");
        // The audit head is written through <db>.audit-head.tmp: a directory there fails the entry inside the run's transaction.
        java.nio.file.Files.createDirectory(directory.resolve("finhub.duckdb.audit-head.tmp"));
        assertThatThrownBy(() -> retention.apply(false, "test:cron")).hasMessageContaining("cannot record the audit head");
        // tp-old, sp-old and sub-ended-long-ago would go; all 3 + 2 + 2 rows are still there, and no entry was added
        assertThat(count("SELECT count(*) FROM fact_touchpoint")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM fact_spend")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM fact_subscription")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_log")).isEqualTo(entriesBefore);
    }

    private long count(String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}
