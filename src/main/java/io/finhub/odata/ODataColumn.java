package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;

/**
 * One property of an entity set: its EDM type and facets, and the DuckDB type its values have in
 * SQL. The name never becomes SQL text: queries address columns by position ({@code c0, c1, ...}).
 *
 * @param sqlType the DuckDB type of the column, used to cast rows computed in Java into SQL
 * @param description shown in {@code $metadata} as a Core.Description annotation
 */
record ODataColumn(String name, EdmPrimitiveTypeKind kind, boolean nullable, Optional<Integer> precision, Optional<Integer> scale,
        String sqlType, String description) {
    ODataColumn {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(precision, "precision is null");
        requireNonNull(scale, "scale is null");
        requireNonNull(sqlType, "sqlType is null");
        requireNonNull(description, "description is null");
    }

    static ODataColumn string(String name, boolean nullable, String description) {
        return new ODataColumn(name, EdmPrimitiveTypeKind.String, nullable, Optional.empty(), Optional.empty(), "VARCHAR", description);
    }

    static ODataColumn date(String name, boolean nullable, String description) {
        return new ODataColumn(name, EdmPrimitiveTypeKind.Date, nullable, Optional.empty(), Optional.empty(), "DATE", description);
    }

    static ODataColumn decimal(String name, int scale, String description) {
        return new ODataColumn(name, EdmPrimitiveTypeKind.Decimal, true, Optional.of(38), Optional.of(scale), "DECIMAL(38, 10)", description);
    }

    static ODataColumn int64(String name, boolean nullable, String description) {
        return new ODataColumn(name, EdmPrimitiveTypeKind.Int64, nullable, Optional.empty(), Optional.empty(), "BIGINT", description);
    }

    boolean isText() {
        return kind == EdmPrimitiveTypeKind.String;
    }
}
