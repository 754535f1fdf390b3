package io.finhub.bench;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.ParsedParameters;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * Records the SQL (text and bound arguments) that request threads run while capturing, and replays
 * it on a plain Jdbi handle of the same database, reading every column of every row: the time DuckDB
 * itself needs for what the server did, without GraphQL, HTTP, JSON or the cache.
 */
final class SqlCapture implements StatementCustomizer {
    /** Javalin's Jetty request threads: the statements a request runs, not the background builds'. */
    private static final String REQUEST_THREAD = "JettyServerThreadPool";

    /** One statement as the server ran it. */
    record Statement(String sql, List<Object> names, List<Argument> arguments) {}

    private volatile List<Statement> captured;

    static SqlCapture install(Jdbi jdbi) {
        SqlCapture capture = new SqlCapture();
        jdbi.addCustomizer(capture);
        return capture;
    }

    void start() {
        captured = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    List<Statement> stop() {
        List<Statement> statements = captured;
        captured = null;
        return statements == null ? List.of() : List.copyOf(statements);
    }

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext context) {
        List<Statement> sink = captured;
        if (sink == null || !Thread.currentThread().getName().startsWith(REQUEST_THREAD)) {
            return;
        }
        ParsedParameters parameters = context.getParsedSql().getParameters();
        List<Object> names = new ArrayList<>();
        List<Argument> arguments = new ArrayList<>();
        for (int position = 0; position < parameters.getParameterCount(); position++) {
            Object name = parameters.isPositional() ? Integer.valueOf(position) : parameters.getParameterNames().get(position);
            Argument argument = name instanceof Integer index
                    ? context.getBinding().findForPosition(index).orElse(null)
                    : context.getBinding().findForName((String) name, context).orElse(null);
            names.add(name);
            arguments.add(argument);
        }
        sink.add(new Statement(context.getRenderedSql(), names, arguments));
    }

    /** True for a statement that returns rows. */
    static boolean isRead(Statement statement) {
        String sql = withoutLeadingComments(statement.sql()).toUpperCase(Locale.ROOT);
        return sql.startsWith("SELECT") || sql.startsWith("WITH") || sql.startsWith("FROM") || sql.startsWith("(") || sql.startsWith("VALUES");
    }

    private static boolean isTransactionControl(Statement statement) {
        String sql = withoutLeadingComments(statement.sql()).toUpperCase(Locale.ROOT);
        return sql.startsWith("BEGIN") || sql.startsWith("COMMIT") || sql.startsWith("ROLLBACK") || sql.startsWith("CHECKPOINT");
    }

    private static String withoutLeadingComments(String sql) {
        String rest = sql.strip();
        while (rest.startsWith("--") || rest.startsWith("/*")) {
            int end = rest.startsWith("--") ? rest.indexOf('\n') : rest.indexOf("*/");
            if (end < 0) {
                return "";
            }
            rest = rest.substring(end + (rest.startsWith("--") ? 1 : 2)).strip();
        }
        return rest;
    }

    /**
     * Runs the statements on {@code handle} in one transaction that is rolled back (so temporary
     * tables and writes a service does on the way are replayed, and undone), fetching every value of
     * every row, and returns the nanoseconds they took.
     */
    static long replay(Handle handle, List<Statement> statements) {
        long total = 0;
        handle.begin();
        try {
            for (Statement statement : statements) {
                if (!isTransactionControl(statement)) {
                    total += replay(handle, statement);
                }
            }
        }
        finally {
            handle.rollback();
        }
        return total;
    }

    private static long replay(Handle handle, Statement statement) {
        boolean read = isRead(statement);
        try (org.jdbi.v3.core.statement.SqlStatement<?> sql = read ? handle.createQuery(statement.sql()) : handle.createUpdate(statement.sql())) {
            for (int index = 0; index < statement.names().size(); index++) {
                Object name = statement.names().get(index);
                Argument argument = statement.arguments().get(index);
                if (name instanceof Integer position) {
                    sql.bind(position, argument);
                }
                else {
                    sql.bind((String) name, argument);
                }
            }
            long started = System.nanoTime();
            if (read) {
                ((Query) sql).scanResultSet((results, context) -> {
                    java.sql.ResultSet resultSet = results.get();
                    int columns = resultSet.getMetaData().getColumnCount();
                    while (resultSet.next()) {
                        for (int column = 1; column <= columns; column++) {
                            resultSet.getObject(column);
                        }
                    }
                    return null;
                });
            }
            else {
                ((org.jdbi.v3.core.statement.Update) sql).execute();
            }
            return System.nanoTime() - started;
        }
    }
}
