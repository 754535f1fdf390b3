package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.security.DepartmentAccess;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * The rows one request reads, as SQL: the columns of a store table, or rows computed in Java (a
 * catalog view, a feature query, an aggregation) bound as one array parameter per column. Either
 * way the columns are named {@code c0, c1, ...} by position, so no property name, alias or value
 * from a request ever becomes SQL text. Every row also carries {@code r}, its position in the
 * source's own order: a table's row id (storage order, so a range of it is read without scanning or
 * sorting the rest of the table) or a computed row's index in the service's order.
 */
final class ODataRelation {
    static final String ROW_NUMBER = "r";

    private final List<ODataColumn> columns;
    private final List<String> key;
    private final String sql;
    private final Map<String, Object> parameters;
    private final Optional<List<Object[]>> rows;
    private final Optional<String> table;

    private ODataRelation(List<ODataColumn> columns, List<String> key, String sql, Map<String, Object> parameters, Optional<List<Object[]>> rows,
            Optional<String> table) {
        this.columns = List.copyOf(columns);
        this.key = List.copyOf(key);
        this.sql = requireNonNull(sql, "sql is null");
        this.parameters = Map.copyOf(parameters);
        this.rows = rows;
        this.table = table;
    }

    private static String quotedTable(ODataTableSource source) {
        return "\"" + source.table().replace("\"", "\"\"") + "\"";
    }

    /**
     * The columns of a store table; the table and column names come from FinHub's definitions and the
     * information schema. A table whose rows belong to departments ({@link ODataTableSource#department()})
     * shows a caller restricted to some departments only their rows.
     */
    static ODataRelation table(ODataEntitySet set, ODataTableSource source, DepartmentAccess departments) {
        StringJoiner select = new StringJoiner(", ");
        select.add("rowid AS " + ROW_NUMBER);
        boolean masked = false;
        for (int index = 0; index < set.columns().size(); index++) {
            Optional<String> restricted = departments.restricted() ? source.restrictedExpressions().get(index) : Optional.empty();
            masked |= restricted.isPresent();
            select.add(restricted.orElse(source.expressions().get(index)) + " AS " + column(index));
        }
        String sql = "SELECT " + select + " FROM " + quotedTable(source);
        Map<String, Object> parameters = Map.of();
        boolean filtered = departments.restricted() && source.department().isPresent();
        if (filtered) {
            sql += " WHERE " + source.department().get() + " IN (SELECT unnest(CAST(:allowed_departments AS VARCHAR[])))";
        }
        if (filtered || masked) {
            parameters = Map.of("allowed_departments", departments.ids().stream().sorted().toArray(String[]::new));
        }
        return new ODataRelation(set.columns(), set.key(), sql, parameters, Optional.empty(), Optional.of(quotedTable(source)));
    }

    /** Rows computed in Java, one value per column, in the order the service returned them. */
    static ODataRelation computed(List<ODataColumn> columns, List<String> key, List<Object[]> rows) {
        Map<String, Object> parameters = new HashMap<>();
        StringJoiner select = new StringJoiner(", ");
        select.add("unnest(range(CAST(:row_count AS BIGINT))) AS " + ROW_NUMBER);
        parameters.put("row_count", (long) rows.size());
        for (int index = 0; index < columns.size(); index++) {
            String[] values = new String[rows.size()];
            for (int row = 0; row < rows.size(); row++) {
                values[row] = text(rows.get(row)[index]);
            }
            String name = "column_" + index;
            parameters.put(name, values);
            select.add("unnest(CAST(:%s AS %s[])) AS %s".formatted(name, columns.get(index).sqlType(), column(index)));
        }
        return new ODataRelation(columns, key, "SELECT " + select, parameters, Optional.of(List.copyOf(rows)), Optional.empty());
    }

    /** A value as the text DuckDB casts back to the column's type, exactly. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
        }
        return value.toString();
    }

    static String column(int index) {
        return "c" + index;
    }

    List<ODataColumn> columns() {
        return columns;
    }

    List<String> key() {
        return key;
    }

    String sql() {
        return sql;
    }

    Map<String, Object> parameters() {
        return parameters;
    }

    boolean computed() {
        return rows.isPresent();
    }

    /** SQL for the highest row number there is; rows are numbered from 0, with gaps where rows were deleted. */
    String lastRowNumberSql() {
        return table.map(name -> "SELECT coalesce(max(rowid), -1) FROM " + name)
                .orElse("SELECT CAST(:row_count AS BIGINT) - 1");
    }

    Object[] row(int number) {
        return rows.orElseThrow().get(number);
    }

    OptionalInt indexOf(String name) {
        for (int index = 0; index < columns.size(); index++) {
            if (columns.get(index).name().equals(name)) {
                return OptionalInt.of(index);
            }
        }
        return OptionalInt.empty();
    }

    List<Integer> keyIndexes() {
        List<Integer> indexes = new ArrayList<>();
        for (String name : key) {
            indexes.add(indexOf(name).orElseThrow());
        }
        return indexes;
    }
}
