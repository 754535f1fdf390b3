package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A store table, one SQL expression per column of the entity set. Every identifier here comes from
 * FinHub's own definitions and the database's information schema, never from a request.
 *
 * @param expressions SQL for each column, in the entity set's column order
 */
record ODataTableSource(String table, List<String> expressions) implements ODataSource {
    ODataTableSource {
        requireNonNull(table, "table is null");
        expressions = List.copyOf(requireNonNull(expressions, "expressions is null"));
    }
}
