package io.finhub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.finhub.TestStores;
import io.finhub.cli.FinhubCommand;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash chain finds every altered, inserted or deleted entry, in the library and through {@code finhub audit verify}. */
class AuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void an_untouched_log_verifies_and_each_entry_carries_the_hash_of_the_one_before() {
        try (Store store = TestStores.withFixture("security_company")) {
            AuditLog log = threeEntries(store);
            AuditVerification verification = log.verify();
            assertThat(verification.ok()).isTrue();
            assertThat(verification.entries()).isEqualTo(3);
            var entries = log.entries(0, 10);
            assertThat(entries.get(0).prevHash()).isEqualTo("0".repeat(64));
            assertThat(entries.get(1).prevHash()).isEqualTo(entries.get(0).hash());
            assertThat(entries.get(2).prevHash()).isEqualTo(entries.get(1).hash());
            assertThat(verification.headHash()).hasValue(entries.get(2).hash());
        }
    }

    @Test
    void an_altered_entry_is_found_even_when_the_forger_recomputes_its_hash() {
        try (Store store = TestStores.withFixture("security_company")) {
            AuditLog log = threeEntries(store);
            execute(store, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2");
            AuditVerification altered = log.verify();
            assertThat(altered.ok()).isFalse();
            assertThat(altered.firstBrokenSeq()).hasValue(2L);
            assertThat(altered.problems()).anyMatch(problem -> problem.contains("entry 2 was altered"));

            AuditEntry second = log.entries(1, 1).get(0);
            String forged = AuditLog.hash(second.seq(), second.at(), second.actor(), second.action(), second.target(), second.detail(), second.prevHash());
            execute(store, "UPDATE audit_log SET hash = '" + forged + "' WHERE seq = 2");
            AuditVerification rehashed = log.verify();
            assertThat(rehashed.ok()).isFalse();
            assertThat(rehashed.firstBrokenSeq()).hasValue(3L);
            assertThat(rehashed.problems()).anyMatch(problem -> problem.contains("entry 3 does not carry the hash of the entry before it"));
        }
    }

    @Test
    void a_deleted_entry_in_the_middle_is_found() {
        try (Store store = TestStores.withFixture("security_company")) {
            AuditLog log = threeEntries(store);
            execute(store, "DELETE FROM audit_log WHERE seq = 2");
            AuditVerification verification = log.verify();
            assertThat(verification.ok()).isFalse();
            assertThat(verification.firstBrokenSeq()).hasValue(2L);
            assertThat(verification.problems()).anyMatch(problem -> problem.contains("entries 2 to 2 are missing"));
        }
    }

    @Test
    void deleting_the_newest_entries_is_found_by_the_head_recorded_beside_the_database(@TempDir Path directory) {
        try (Store store = TestStores.withFixture("security_company", StoreConfig.file(directory.resolve("finhub.duckdb")))) {
            AuditLog log = threeEntries(store);
            execute(store, "DELETE FROM audit_log WHERE seq = 3");
            AuditVerification verification = log.verify();
            assertThat(verification.ok()).isFalse();
            assertThat(verification.firstBrokenSeq()).hasValue(3L);
            assertThat(verification.problems()).anyMatch(problem -> problem.contains("newest entries were deleted"));
        }
    }

    @Test
    void deleting_the_head_file_with_the_newest_entries_is_found_and_the_next_entry_records_it(@TempDir Path directory) throws Exception {
        Path head = directory.resolve("finhub.duckdb.audit-head");
        try (Store store = TestStores.withFixture("security_company", StoreConfig.file(directory.resolve("finhub.duckdb")))) {
            AuditLog log = threeEntries(store);
            String secondHash = log.entries(0, 10).get(1).hash();
            // Entry 3 deleted, and the head that would show it: the log alone reads as whole (2 entries, chained).
            execute(store, "DELETE FROM audit_log WHERE seq = 3");
            Files.delete(head);

            AuditVerification verification = log.verify();
            assertThat(verification.ok()).isFalse();
            assertThat(verification.problems()).anyMatch(problem -> problem.contains("audit head file") && problem.contains("is missing"));

            // The next entry writes the head again, but first notes in the chain that it was missing after entry 2.
            AuditEntry next = log.append("jwt:alice", "graphql.mutation", "certify", "{\"outcome\":\"ok\"}");
            var entries = log.entries(0, 10);
            assertThat(entries).extracting(AuditEntry::seq, AuditEntry::action)
                    .containsExactly(tuple(1L, "graphql.mutation"), tuple(2L, "import"), tuple(3L, "audit.head.missing"), tuple(4L, "graphql.mutation"));
            assertThat(entries.get(2).actor()).isEqualTo("finhub");
            assertThat(entries.get(2).detail()).isEqualTo("{\"lastSeq\":2,\"lastHash\":\"" + secondHash + "\"}");
            assertThat(next.seq()).isEqualTo(4);
            assertThat(Files.readString(head)).isEqualTo("4 " + next.hash() + "\n");
            assertThat(log.verify().ok()).isTrue();
        }
    }

    @Test
    void audit_verify_exits_0_on_an_intact_log_and_1_on_a_tampered_one(@TempDir Path directory) {
        Path database = directory.resolve("finhub.duckdb");
        try (Store store = TestStores.withFixture("security_company", StoreConfig.file(database))) {
            threeEntries(store);
        }
        assertThat(FinhubCommand.commandLine().execute("audit", "verify", "--db", database.toString())).isZero();
        try (Store store = Store.open(StoreConfig.file(database))) {
            execute(store, "UPDATE audit_log SET detail = '{\"outcome\":\"failed\"}' WHERE seq = 1");
        }
        assertThat(FinhubCommand.commandLine().execute("audit", "verify", "--db", database.toString())).isEqualTo(1);
    }

    @Test
    void an_entry_commits_with_its_change_and_a_change_that_fails_after_it_leaves_neither(@TempDir Path directory) {
        try (Store store = TestStores.withFixture("security_company", StoreConfig.file(directory.resolve("finhub.duckdb")))) {
            AuditLog log = new AuditLog(store, CLOCK);
            execute(store, "CREATE TABLE audited_change (id INTEGER)");

            int inserted = inTransaction(store, log, handle -> handle.execute("INSERT INTO audited_change VALUES (1)"));
            assertThat(inserted).isEqualTo(1);
            // one row and one entry, committed together
            assertThat(count(store, "SELECT count(*) FROM audited_change")).isEqualTo(1);
            assertThat(log.entries(0, 10)).extracting(AuditEntry::seq, AuditEntry::target).containsExactly(tuple(1L, "audited_change"));

            assertThatThrownBy(() -> inTransaction(store, log, handle -> {
                handle.execute("INSERT INTO audited_change VALUES (2)");
                throw new IllegalStateException("the change fails");
            })).hasMessage("the change fails");
            assertThatThrownBy(() -> inTransaction(store, log, handle -> handle.execute("INSERT INTO audited_change VALUES (3)"), rows -> {
                throw new IllegalStateException("the entry cannot be made");
            })).hasMessage("the entry cannot be made");
            // still the one row and the one entry of the first change
            assertThat(count(store, "SELECT count(*) FROM audited_change")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM audit_log")).isEqualTo(1);
            assertThat(log.verify().ok()).isTrue();
        }
    }

    @Test
    void when_the_audit_head_cannot_be_recorded_the_change_is_rolled_back_too(@TempDir Path directory) throws Exception {
        Path database = directory.resolve("finhub.duckdb");
        try (Store store = TestStores.withFixture("security_company", StoreConfig.file(database))) {
            AuditLog log = new AuditLog(store, CLOCK);
            execute(store, "CREATE TABLE audited_change (id INTEGER)");
            // The head is written through <db>.audit-head.tmp: a directory there makes that write fail, before the commit.
            Files.createDirectory(directory.resolve("finhub.duckdb.audit-head.tmp"));

            assertThatThrownBy(() -> inTransaction(store, log, handle -> handle.execute("INSERT INTO audited_change VALUES (1)")))
                    .hasMessageContaining("cannot record the audit head");
            assertThat(count(store, "SELECT count(*) FROM audited_change")).isZero();
            assertThat(count(store, "SELECT count(*) FROM audit_log")).isZero();
        }
    }

    @Test
    void an_entry_chains_after_appends_committed_while_its_transaction_ran() {
        try (Store store = TestStores.withFixture("security_company")) {
            AuditLog log = new AuditLog(store, CLOCK);
            execute(store, "CREATE TABLE audited_change (id INTEGER)");
            // The transaction starts (its insert), then a mutation is audited on another connection, then the transaction commits:
            // its entry must be entry 2, after the mutation's entry 1, though its snapshot never saw entry 1.
            inTransaction(store, log, handle -> {
                handle.execute("INSERT INTO audited_change VALUES (1)");
                log.append("jwt:alice", "graphql.mutation", "createAlertRule", "{\"outcome\":\"ok\"}");
                return handle.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one().intValue();
            });
            var entries = log.entries(0, 10);
            assertThat(entries).extracting(AuditEntry::seq, AuditEntry::target).containsExactly(tuple(1L, "createAlertRule"), tuple(2L, "audited_change"));
            assertThat(entries.get(1).prevHash()).isEqualTo(entries.get(0).hash());
            assertThat(log.verify().ok()).isTrue();
        }
    }

    @Test
    void a_crash_between_the_commit_and_the_head_update_still_verifies_and_the_next_entry_chains_on(@TempDir Path directory) throws Exception {
        Path database = directory.resolve("finhub.duckdb");
        Path head = directory.resolve("finhub.duckdb.audit-head");
        try (Store store = TestStores.withFixture("security_company", StoreConfig.file(database))) {
            AuditLog log = threeEntries(store);
            var entries = log.entries(0, 10);
            String second = "2 " + entries.get(1).hash() + "\n";
            String pendingThird = "pending 3 " + entries.get(2).hash() + "\n";
            assertThat(Files.readString(head)).isEqualTo("3 " + entries.get(2).hash() + "\n");

            // What the file holds while entry 3 commits: the process died after the commit, before the head moved.
            Files.writeString(head, second + pendingThird);
            assertThat(log.verify().ok()).isTrue();

            AuditEntry fourth = log.append("jwt:alice", "graphql.mutation", "certify", "{\"outcome\":\"ok\"}");
            assertThat(fourth.seq()).isEqualTo(4);
            assertThat(fourth.prevHash()).isEqualTo(entries.get(2).hash());
            assertThat(Files.readString(head)).isEqualTo("4 " + fourth.hash() + "\n");
            assertThat(log.verify().ok()).isTrue();

            // A pending entry that never committed: the log ends at the recorded head, which verifies too ...
            execute(store, "DELETE FROM audit_log WHERE seq = 4");
            Files.writeString(head, "3 " + entries.get(2).hash() + "\npending 4 " + fourth.hash() + "\n");
            assertThat(log.verify().ok()).isTrue();
            // ... but deleting entries the head file names as written is still found, pending line or not.
            execute(store, "DELETE FROM audit_log WHERE seq = 3");
            AuditVerification cut = log.verify();
            assertThat(cut.ok()).isFalse();
            assertThat(cut.problems()).anyMatch(problem -> problem.contains("newest entries were deleted"));
        }
    }

    private static <R> R inTransaction(Store store, AuditLog log, HandleCallback<R, RuntimeException> change) {
        return inTransaction(store, log, change, result -> new AuditLog.Draft("token:loader", "import", "audited_change", "{\"rows\":1}"));
    }

    private static <R> R inTransaction(Store store, AuditLog log, HandleCallback<R, RuntimeException> change, Function<R, AuditLog.Draft> entryOf) {
        try (Handle handle = store.jdbi().open()) {
            return log.inTransaction(handle, change, entryOf);
        }
    }

    private static long count(Store store, String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static AuditLog threeEntries(Store store) {
        AuditLog log = new AuditLog(store, CLOCK);
        log.append("jwt:alice", "graphql.mutation", "createAlertRule", "{\"outcome\":\"ok\"}");
        log.append("token:loader", "import", "spend", "{\"rows\":4}");
        log.append("jwt:alice", "graphql.mutation", "adjustForecast", "{\"outcome\":\"ok\"}");
        return log;
    }

    private static void execute(Store store, String sql) {
        store.jdbi().useHandle(handle -> handle.execute(sql));
    }
}
