package io.finhub.ingest;

import io.finhub.ingest.IngestProgress.Phase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;
import org.jdbi.v3.core.Handle;

/**
 * Runs generated SQL on the batch's own connection through plain JDBC, so a long statement (reading
 * a file, writing millions of rows) can report DuckDB's progress estimate while it runs.
 */
final class SqlRunner {
    private static final long POLL_MILLIS = 500;

    private final Connection connection;
    private final IngestProgress progress;
    private final Optional<ScheduledExecutorService> poller;
    private final Object cancelLock = new Object();
    private boolean cancellable = true;
    private boolean cancelled;
    private PreparedStatement running;

    SqlRunner(Handle handle, IngestProgress progress, Optional<ScheduledExecutorService> poller) {
        this.connection = handle.getConnection();
        this.progress = progress;
        this.poller = progress == IngestProgress.NONE ? Optional.empty() : poller;
    }

    void enableProgress() throws SQLException {
        if (poller.isEmpty()) {
            return;
        }
        try (var statement = connection.createStatement()) {
            statement.execute("SET enable_progress_bar = true");
            statement.execute("SET enable_progress_bar_print = false");
            statement.execute("SET progress_bar_time = 0");
        }
    }

    /** Work on the batch's connection run by {@link #inInsertionOrder}; not a JDBC statement. */
    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} with DuckDB's {@code preserve_insertion_order} on, so a table it writes
     * from a file keeps the file's order, then restores the setting. The setting is global to the
     * database: queries planned meanwhile on other connections may keep their order too, which costs
     * them some speed, never a wrong answer. Imports run one at a time, so no other import turns it off meanwhile.
     */
    void inInsertionOrder(SqlWork work) throws SQLException {
        boolean before = count(SqlText.of("SELECT CAST(current_setting('preserve_insertion_order') AS BOOLEAN)::INTEGER")) == 1;
        update(SqlText.of("SET preserve_insertion_order = true"));
        try {
            work.run();
        }
        finally {
            update(SqlText.of("SET preserve_insertion_order = " + before));
        }
    }

    /** Executes a statement and returns the rows it changed. */
    long update(SqlText sql) throws SQLException {
        try (PreparedStatement statement = prepare(sql)) {
            return statement.executeUpdate();
        }
    }

    /**
     * Executes a long statement, telling {@link IngestProgress} how far DuckDB has come every half
     * second. Until {@link #stopCancelling}, {@link #cancel} interrupts it.
     */
    long trackedUpdate(SqlText sql, String dataset, Phase phase) throws SQLException {
        try (PreparedStatement statement = prepare(sql)) {
            Optional<ScheduledFuture<?>> polling = poller.map(executor -> executor.scheduleAtFixedRate(
                    () -> report(statement, dataset, phase), POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS));
            try {
                startCancellable(statement);
                return statement.executeUpdate();
            }
            finally {
                endCancellable();
                polling.ifPresent(future -> future.cancel(false));
            }
        }
    }

    /**
     * Interrupts the long statement running now, and fails the next ones before they start, until
     * {@link #stopCancelling}. Only {@link #trackedUpdate} statements are cancelled: short ones (a
     * setting restored) always run. A cancel in the instant between a statement's start and DuckDB's
     * is lost (DuckDB clears its interrupt flag when a query begins): that statement then runs to its
     * end, which costs time, never a wrong answer.
     */
    void cancel() {
        synchronized (cancelLock) {
            if (!cancellable) {
                return;
            }
            cancelled = true;
            if (running != null) {
                try {
                    running.cancel();
                }
                catch (SQLException e) {
                    // it finished meanwhile; a cancel after the end does not touch the next statement
                }
            }
        }
    }

    /** From now on {@link #cancel} does nothing: what runs next (validation, writing) is never interrupted. */
    void stopCancelling() {
        synchronized (cancelLock) {
            cancellable = false;
        }
    }

    boolean cancelled() {
        synchronized (cancelLock) {
            return cancelled;
        }
    }

    /** Whether a {@link #trackedUpdate} statement is running now, which {@link #cancel} would interrupt. */
    boolean running() {
        synchronized (cancelLock) {
            return running != null;
        }
    }

    private void startCancellable(PreparedStatement statement) throws SQLException {
        synchronized (cancelLock) {
            if (cancellable && cancelled) {
                throw new SQLException("cancelled");
            }
            running = statement;
        }
    }

    private void endCancellable() {
        synchronized (cancelLock) {
            running = null;
        }
    }

    private void report(PreparedStatement statement, String dataset, Phase phase) {
        try {
            QueryProgress queryProgress = statement.unwrap(DuckDBPreparedStatement.class).getQueryProgress();
            if (queryProgress.getPercentage() >= 0) {
                progress.percent(dataset, phase, queryProgress.getPercentage());
            }
        }
        catch (SQLException | RuntimeException e) {
            // The statement finished between the schedule and the poll: nothing to report.
        }
    }

    List<Map<String, Object>> query(SqlText sql) throws SQLException {
        try (PreparedStatement statement = prepare(sql); ResultSet result = statement.executeQuery()) {
            ResultSetMetaData metadata = result.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= metadata.getColumnCount(); column++) {
                    row.put(metadata.getColumnLabel(column), result.getObject(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    long count(SqlText sql) throws SQLException {
        try (PreparedStatement statement = prepare(sql); ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Column names and DuckDB type names of a query's result, without running it to the end. */
    Map<String, String> columns(SqlText sql) throws SQLException {
        try (PreparedStatement statement = prepare(sql); ResultSet result = statement.executeQuery()) {
            ResultSetMetaData metadata = result.getMetaData();
            Map<String, String> columns = new LinkedHashMap<>();
            for (int column = 1; column <= metadata.getColumnCount(); column++) {
                columns.put(metadata.getColumnLabel(column), metadata.getColumnTypeName(column));
            }
            return columns;
        }
    }

    private PreparedStatement prepare(SqlText sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.sql());
        List<Object> parameters = sql.parameters();
        for (int index = 0; index < parameters.size(); index++) {
            statement.setObject(index + 1, parameters.get(index));
        }
        return statement;
    }
}
