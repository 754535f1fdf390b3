package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A store table, one SQL expression per column of the entity set. Every identifier here comes from
 * FinHub's own definitions and the database's information schema, never from a request.
 *
 * @param expressions SQL for each column, in the entity set's column order
 * @param department SQL for the department a row belongs to (its {@code department_id}, or the one of
 *     the dimension row it belongs to), when its rows are a department's: a caller restricted to some
 *     departments sees only theirs
 * @param restrictedExpressions for each column, the SQL a caller restricted to some departments gets instead (over
 *     {@code :allowed_departments}), where a column names another department's row: a customer's acquisition campaign
 */
record ODataTableSource(String table, List<String> expressions, Optional<String> department, List<Optional<String>> restrictedExpressions)
        implements ODataSource {
    ODataTableSource {
        requireNonNull(table, "table is null");
        expressions = List.copyOf(requireNonNull(expressions, "expressions is null"));
        requireNonNull(department, "department is null");
        restrictedExpressions = List.copyOf(requireNonNull(restrictedExpressions, "restrictedExpressions is null"));
        if (restrictedExpressions.size() != expressions.size()) {
            throw new IllegalArgumentException("one restricted expression (or none) per column");
        }
    }
}
