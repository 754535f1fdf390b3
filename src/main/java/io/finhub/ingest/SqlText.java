package io.finhub.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Generated SQL with its positional parameters. Identifiers come from the database's own catalog
 * (table and column names of the datasets); every value that comes from a user (file paths,
 * partition values) goes in as a parameter, never as text.
 */
final class SqlText {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    SqlText append(String sql) {
        text.append(sql);
        return this;
    }

    SqlText parameter(Object value) {
        text.append('?');
        parameters.add(value);
        return this;
    }

    SqlText append(SqlText other) {
        text.append(other.text);
        parameters.addAll(other.parameters);
        return this;
    }

    String sql() {
        return text.toString();
    }

    List<Object> parameters() {
        return List.copyOf(parameters);
    }

    static SqlText of(String sql) {
        return new SqlText().append(sql);
    }

    /** A SQL string literal of trusted text (a reason, a column name), quotes doubled. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A quoted identifier; names come from the database catalog or match one of its column names. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
