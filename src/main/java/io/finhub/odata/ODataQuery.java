package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.StringJoiner;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.uri.queryoption.FilterOption;
import org.apache.olingo.server.api.uri.queryoption.OrderByItem;
import org.apache.olingo.server.api.uri.queryoption.OrderByOption;

/**
 * A request's {@code $filter} and {@code $orderby} over a relation, as SQL with bound parameters,
 * and the statements that count it and read part of it. Rows always end ordered by the relation's
 * row number, so pages never overlap or skip a row.
 */
final class ODataQuery {
    private static final String ALIAS = "v";
    private static final String ROW = ALIAS + "." + ODataRelation.ROW_NUMBER;

    private final ODataRelation relation;
    private final String where;
    private final List<String> order;
    private final boolean rowOrder;
    private final Map<String, Object> parameters = new HashMap<>();

    private ODataQuery(ODataRelation relation, FilterOption filter, OrderByOption orderBy) throws ODataApplicationException {
        this.relation = requireNonNull(relation, "relation is null");
        parameters.putAll(relation.parameters());
        this.where = filter == null || filter.getExpression() == null
                ? "TRUE"
                : new ODataExpressionSql(relation, ALIAS, parameters, "filter_").condition(filter.getExpression());
        List<String> terms = new ArrayList<>();
        if (orderBy != null) {
            ODataExpressionSql sql = new ODataExpressionSql(relation, ALIAS, parameters, "order_");
            for (OrderByItem item : orderBy.getOrders()) {
                // OData: null sorts before every value ascending, after every value descending.
                terms.add(sql.value(item.getExpression()) + (item.isDescending() ? " DESC NULLS LAST" : " ASC NULLS FIRST"));
            }
        }
        this.rowOrder = terms.isEmpty();
        terms.add(ROW + " ASC");
        this.order = List.copyOf(terms);
    }

    static ODataQuery of(ODataRelation relation, FilterOption filter, OrderByOption orderBy) throws ODataApplicationException {
        return new ODataQuery(relation, filter, orderBy);
    }

    ODataRelation relation() {
        return relation;
    }

    /**
     * True when rows come in row-number order ({@code $orderby} absent), so a page can start after
     * the last row number delivered and, on a table, read just a range of row ids.
     */
    boolean rowOrdered() {
        return rowOrder;
    }

    Statement count() {
        return new Statement("SELECT count(*) FROM (" + relation.sql() + ") " + ALIAS + " WHERE " + where, parameters);
    }

    Statement lastRowNumber() {
        return new Statement(relation.lastRowNumberSql(), relation.computed() ? Map.of("row_count", relation.parameters().get("row_count")) : Map.of());
    }

    /**
     * Up to {@code limit} rows, in order: their row number first, then for tables the {@code columns}
     * asked for.
     *
     * @param after only rows numbered above this (row order only)
     * @param before only rows numbered below this (row order only)
     */
    Statement rows(List<Integer> columns, long limit, long offset, OptionalLong after, OptionalLong before) {
        Map<String, Object> statementParameters = new HashMap<>(parameters);
        StringJoiner select = new StringJoiner(", ");
        select.add(ROW);
        if (!relation.computed()) {
            columns.forEach(index -> select.add(ALIAS + "." + ODataRelation.column(index)));
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append(" FROM (").append(relation.sql()).append(") ").append(ALIAS)
                .append(" WHERE ").append(where);
        if (after.isPresent()) {
            sql.append(" AND ").append(ROW).append(" > :after_row");
            statementParameters.put("after_row", after.getAsLong());
        }
        if (before.isPresent()) {
            sql.append(" AND ").append(ROW).append(" < :before_row");
            statementParameters.put("before_row", before.getAsLong());
        }
        sql.append(" ORDER BY ").append(String.join(", ", order)).append(" LIMIT :row_limit");
        statementParameters.put("row_limit", limit);
        if (offset > 0) {
            sql.append(" OFFSET :row_offset");
            statementParameters.put("row_offset", offset);
        }
        return new Statement(sql.toString(), statementParameters);
    }

    /** SQL and its bound parameters. */
    record Statement(String sql, Map<String, Object> parameters) {
        Statement {
            requireNonNull(sql, "sql is null");
            parameters = Collections.unmodifiableMap(new HashMap<>(parameters));
        }
    }
}
