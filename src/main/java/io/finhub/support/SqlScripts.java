package io.finhub.support;

import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Runs trusted SQL files (derived-table builds) as DuckDB reads them. Jdbi's own script splitter
 * parses for named parameters and quotes, and misreads apostrophes inside {@code --} comments;
 * these files take no parameters (they use DuckDB variables), so they go to DuckDB untouched.
 */
public final class SqlScripts {
    private SqlScripts() {}

    public static void execute(Handle handle, String sql) {
        try (Statement statement = handle.getConnection().createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }
}
