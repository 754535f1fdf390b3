package io.finhub.support;

import io.finhub.support.StatementDeadlines.StatementWork;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Runs trusted SQL (derived-table builds, rows read by position) as DuckDB reads them. Jdbi's own
 * script splitter parses for named parameters and quotes, and misreads apostrophes inside {@code --}
 * comments; these statements take no parameters (they use DuckDB variables), so they go to DuckDB
 * untouched. Every statement made outside Jdbi goes through {@link #run(Handle, StatementWork)}, so
 * a request's timeout cancels it as it does Jdbi's statements.
 */
public final class SqlScripts {
    private SqlScripts() {}

    public static void execute(Handle handle, String sql) {
        try {
            run(handle, statement -> statement.execute(sql));
        }
        catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** What {@code read} makes of the rows of {@code sql}. */
    public static <T> T query(Handle handle, String sql, RowsReader<T> read) {
        try {
            return run(handle, statement -> {
                try (ResultSet rows = statement.executeQuery(sql)) {
                    return read.read(rows);
                }
            });
        }
        catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /**
     * Runs {@code work} on a new statement of the handle's JDBC connection, under the deadline of the
     * request this thread answers ({@link StatementDeadlines#track}).
     */
    public static <T> T run(Handle handle, StatementWork<T> work) throws SQLException {
        try (Statement statement = handle.getConnection().createStatement()) {
            return StatementDeadlines.track(statement, work);
        }
    }

    /** Reads a result's rows into a value. */
    @FunctionalInterface
    public interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }
}
