package io.finhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finhub.ingest.IngestProgress.Phase;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancelling the long statement of a staging (a retried file found imported before), and nothing after it. */
class SqlRunnerTest {
    /** Minutes of work for DuckDB unless it is interrupted. */
    private static final SqlText ENDLESS = SqlText.of("CREATE TEMP TABLE endless AS SELECT count(*) AS n FROM range(100000000000) AS t(i) WHERE hash(i) % 7 = 0");

    private final Store store = Store.open(StoreConfig.inMemory());

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_cancel_interrupts_the_running_statement_and_fails_the_next_long_one_but_not_a_short_one() throws Exception {
        store.jdbi().useHandle(handle -> {
            SqlRunner sql = new SqlRunner(handle, IngestProgress.NONE, Optional.empty());
            // Cancels as soon as the statement of minutes runs, and again while it still does: a cancel that lands
            // between the statement's start and DuckDB's is lost, as DuckDB clears its interrupt flag when a query begins.
            AtomicBoolean answered = new AtomicBoolean();
            Thread canceller = new Thread(() -> {
                while (!answered.get()) {
                    if (sql.running()) {
                        sql.cancel();
                    }
                    Thread.onSpinWait();
                }
            });
            canceller.start();

            try {
                assertThatThrownBy(() -> sql.trackedUpdate(ENDLESS, "test", Phase.READING)).isInstanceOf(SQLException.class).hasMessageContaining("Interrupted");
            }
            finally {
                answered.set(true);
                canceller.join();
            }
            assertThat(sql.cancelled()).isTrue();
            assertThatThrownBy(() -> sql.trackedUpdate(SqlText.of("CREATE TEMP TABLE later AS SELECT 1 AS n"), "test", Phase.READING))
                    .isInstanceOf(SQLException.class).hasMessageContaining("cancelled");
            assertThat(sql.count(SqlText.of("SELECT 42"))).isEqualTo(42);
        });
    }

    @Test
    void once_cancelling_has_stopped_a_cancel_changes_nothing() throws Exception {
        store.jdbi().useHandle(handle -> {
            SqlRunner sql = new SqlRunner(handle, IngestProgress.NONE, Optional.empty());
            sql.stopCancelling();
            sql.cancel();

            assertThat(sql.cancelled()).isFalse();
            sql.update(SqlText.of("CREATE TEMP TABLE written (n BIGINT)"));
            assertThat(sql.trackedUpdate(SqlText.of("INSERT INTO written SELECT * FROM range(3)"), "test", Phase.WRITING)).isEqualTo(3);
        });
    }
}
