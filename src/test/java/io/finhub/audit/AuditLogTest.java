package io.finhub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.TestStores;
import io.finhub.cli.FinhubCommand;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
