package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.uri.queryoption.FilterOption;
import org.apache.olingo.server.api.uri.queryoption.OrderByItem;
import org.apache.olingo.server.api.uri.queryoption.OrderByOption;

/**
 * A request's {@code $filter} and {@code $orderby} over a relation, as SQL with bound parameters,
 * and the statements that count it and read one page of it. Rows always end ordered by the
 * relation's own order (a table's key, a service's row order), so pages never overlap or skip.
 */
final class ODataQuery {
    private static final String ALIAS = "v";

    private final ODataRelation relation;
    private final String where;
    private final List<String> order;
    private final boolean keyOrder;
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
        this.keyOrder = terms.isEmpty() && !relation.computed();
        terms.addAll(defaultOrder(relation));
        this.order = List.copyOf(terms);
    }

    static ODataQuery of(ODataRelation relation, FilterOption filter, OrderByOption orderBy) throws ODataApplicationException {
        return new ODataQuery(relation, filter, orderBy);
    }

    private static List<String> defaultOrder(ODataRelation relation) {
        if (relation.computed()) {
            return List.of(ALIAS + "." + ODataRelation.ROW_NUMBER + " ASC");
        }
        return relation.keyIndexes().stream().map(index -> ALIAS + "." + ODataRelation.column(index) + " ASC").toList();
    }

    ODataRelation relation() {
        return relation;
    }

    /** True when rows come in table key order, so the next page can start after the last key instead of skipping rows. */
    boolean keysetPageable() {
        return keyOrder;
    }

    Statement count() {
        return new Statement("SELECT count(*) FROM (" + relation.sql() + ") " + ALIAS + " WHERE " + where, parameters);
    }

    /**
     * Rows of the page: for computed rows their row numbers, for tables the {@code columns} asked for.
     *
     * @param afterKey the key of the last row delivered, to continue after it in key order
     */
    Statement page(List<Integer> columns, OptionalLong limit, long offset, Optional<List<String>> afterKey) {
        Map<String, Object> statementParameters = new HashMap<>(parameters);
        StringJoiner select = new StringJoiner(", ");
        if (relation.computed()) {
            select.add(ALIAS + "." + ODataRelation.ROW_NUMBER);
        }
        else {
            columns.forEach(index -> select.add(ALIAS + "." + ODataRelation.column(index)));
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append(" FROM (").append(relation.sql()).append(") ").append(ALIAS)
                .append(" WHERE ").append(where);
        afterKey.ifPresent(key -> sql.append(" AND ").append(after(key, statementParameters)));
        sql.append(" ORDER BY ").append(String.join(", ", order));
        if (limit.isPresent()) {
            sql.append(" LIMIT :page_limit");
            statementParameters.put("page_limit", limit.getAsLong());
        }
        if (offset > 0) {
            sql.append(" OFFSET :page_offset");
            statementParameters.put("page_offset", offset);
        }
        return new Statement(sql.toString(), statementParameters);
    }

    /** Rows after {@code key} in key order: (k0 > a0) or (k0 = a0 and (k1 > a1 or ...)). */
    private String after(List<String> key, Map<String, Object> statementParameters) {
        List<Integer> indexes = relation.keyIndexes();
        if (key.size() != indexes.size()) {
            throw new IllegalArgumentException("the skip token has " + key.size() + " key values, the set " + indexes.size());
        }
        String condition = null;
        for (int position = indexes.size() - 1; position >= 0; position--) {
            int index = indexes.get(position);
            String column = ALIAS + "." + ODataRelation.column(index);
            String name = "after_" + position;
            statementParameters.put(name, key.get(position));
            String value = "CAST(:%s AS %s)".formatted(name, relation.columns().get(index).sqlType());
            condition = condition == null
                    ? "%s > %s".formatted(column, value)
                    : "(%s > %s OR (%s = %s AND %s))".formatted(column, value, column, value, condition);
        }
        return condition;
    }

    /** SQL and its bound parameters. */
    record Statement(String sql, Map<String, Object> parameters) {
        Statement {
            requireNonNull(sql, "sql is null");
            parameters = Collections.unmodifiableMap(new HashMap<>(parameters));
        }
    }
}
