package io.finhub.attribution;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.support.ClasspathResources;
import io.finhub.support.SqlScripts;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The feature's SQL files ({@code io/finhub/attribution/*.sql}) and how builds run them. Builds pass
 * their parameters as DuckDB variables and go to DuckDB untouched: Jdbi's statement parser would
 * read DuckDB's {@code //} integer division as a comment.
 */
final class AttributionSql {
    private static final Map<String, String> FILES = new ConcurrentHashMap<>();

    private AttributionSql() {}

    static String file(String name) {
        return FILES.computeIfAbsent(name, key -> ClasspathResources.read("io/finhub/attribution/" + key + ".sql"));
    }

    /** Sets a DuckDB variable of this connection; values are numbers or ids this package made, quoted anyway. */
    static void setVariable(Handle handle, String name, Object value) {
        String literal = value instanceof Number ? value.toString() : "'" + String.valueOf(value).replace("'", "''") + "'";
        execute(handle, "SET VARIABLE " + name + " = " + literal);
    }

    static void executeFile(Handle handle, String name) {
        execute(handle, file(name));
    }

    static void execute(Handle handle, String sql) {
        try {
            SqlScripts.run(handle, statement -> statement.execute(sql));
        }
        catch (SQLException e) {
            throw CurrencyConversion.translate(new IllegalStateException(e.getMessage(), e));
        }
    }
}
