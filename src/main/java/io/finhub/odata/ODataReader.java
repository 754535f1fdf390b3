package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.odata.ODataQuery.Statement;
import io.finhub.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads a query's rows a bounded number at a time, so memory stays bounded however large the set.
 * In row order (no {@code $orderby}) a table is read by ranges of row ids, which DuckDB serves from
 * the matching row groups alone: a page costs the same on page 1 and on page 100 of a
 * million-row table, instead of scanning and sorting everything after the last row each time.
 */
final class ODataReader {
    /** The smallest range of row ids read at once; a range starts as long as the rows still wanted and doubles while it comes back thin. */
    private static final long MIN_SPAN = 1_024;

    private final Store store;

    ODataReader(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** A row: its number in the relation's order, and the values of the columns asked for. */
    record Row(long number, Object[] values) {}

    /**
     * Up to {@code limit} rows in the query's order, after row {@code afterRow} (row order) or after
     * skipping {@code skip} rows.
     */
    List<Row> read(ODataQuery query, List<Integer> columns, long limit, long skip, OptionalLong afterRow) {
        if (limit <= 0) {
            return List.of();
        }
        if (!query.rowOrdered() || afterRow.isEmpty() && skip > 0 || query.relation().computed()) {
            return store.jdbi().withHandle(handle -> run(handle, query, columns,
                    query.rows(columns, limit, afterRow.isPresent() ? 0 : skip, afterRow, OptionalLong.empty())));
        }
        return store.jdbi().withHandle(handle -> byRowRanges(handle, query, columns, limit, afterRow.orElse(-1)));
    }

    long count(ODataQuery query) {
        Statement statement = query.count();
        return store.jdbi().withHandle(handle -> bind(handle.createQuery(statement.sql()), statement).mapTo(Long.class).one());
    }

    private static List<Row> byRowRanges(Handle handle, ODataQuery query, List<Integer> columns, long limit, long after) {
        Statement lastStatement = query.lastRowNumber();
        long last = bind(handle.createQuery(lastStatement.sql()), lastStatement).mapTo(Long.class).one();
        List<Row> rows = new ArrayList<>();
        long span = Math.max(MIN_SPAN, limit);
        long from = after;
        while (rows.size() < limit && from < last) {
            long before = from + span + 1;
            List<Row> range = run(handle, query, columns, query.rows(columns, limit - rows.size(), 0, OptionalLong.of(from), OptionalLong.of(before)));
            rows.addAll(range);
            from = before - 1;
            if (range.size() < (limit - rows.size()) / 2) {
                span *= 2;
            }
        }
        return rows;
    }

    private static List<Row> run(Handle handle, ODataQuery query, List<Integer> columns, Statement statement) {
        ODataRelation relation = query.relation();
        return bind(handle.createQuery(statement.sql()), statement).map((row, context) -> {
            long number = row.getLong(1);
            Object[] values = new Object[columns.size()];
            if (relation.computed()) {
                Object[] computed = relation.row(Math.toIntExact(number));
                for (int position = 0; position < columns.size(); position++) {
                    values[position] = computed[columns.get(position)];
                }
            }
            else {
                // Column 1 is the row number; the columns asked for follow in order (by position: a lookup by name costs more than the read).
                for (int position = 0; position < columns.size(); position++) {
                    values[position] = ODataValues.read(row, position + 2, relation.columns().get(columns.get(position)));
                }
            }
            return new Row(number, values);
        }).list();
    }

    private static Query bind(Query query, Statement statement) {
        statement.parameters().forEach((name, value) -> {
            if (value instanceof String[] values) {
                query.bindArray(name, String.class, (Object[]) values);
            }
            else {
                query.bind(name, value);
            }
        });
        return query;
    }
}
