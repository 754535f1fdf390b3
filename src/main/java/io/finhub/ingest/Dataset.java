package io.finhub.ingest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table rows can be imported into: its columns and their types come from the DDL in
 * {@code schema/migrations}, its key, modes and references from {@link IngestDatasets}.
 *
 * @param key the columns that identify a row: duplicates are rejected, UPSERT replaces by it
 * @param modes the modes the dataset accepts; {@code defaultMode} is used when none is given
 */
public record Dataset(String name, Kind kind, String description, List<DatasetColumn> columns, List<String> key, IngestMode defaultMode,
        Set<IngestMode> modes, List<Check> checks) {

    public enum Kind {
        DIMENSION,
        FACT
    }

    public Dataset {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(description, "description is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        key = List.copyOf(requireNonNull(key, "key is null"));
        requireNonNull(defaultMode, "defaultMode is null");
        modes = Set.copyOf(requireNonNull(modes, "modes is null"));
        checks = List.copyOf(requireNonNull(checks, "checks is null"));
    }

    public Optional<DatasetColumn> column(String columnName) {
        return columns.stream().filter(column -> column.name().equalsIgnoreCase(columnName)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(DatasetColumn::name).toList();
    }

    /**
     * One column.
     *
     * @param type the DuckDB type, e.g. {@code DECIMAL(18,2)}
     * @param required NOT NULL in the DDL: the column must be in the file and have a value in every row
     * @param references the dimension whose key the value must be, e.g. {@code dim_channel}
     * @param allowedValues the values a CHECK (column IN (...)) constraint allows; empty when any
     * @param currency an ISO 4217 code that must also be in {@code dim_currency}
     */
    public record DatasetColumn(String name, String type, int position, boolean required, Optional<String> references, List<String> allowedValues,
            boolean currency) {
        private static final Set<String> INTEGER_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                "UINTEGER", "UBIGINT", "UHUGEINT");
        private static final Pattern DECIMAL_TYPE = Pattern.compile("DECIMAL\\(\\s*\\d+\\s*,\\s*(\\d+)\\s*\\)");

        public DatasetColumn {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(references, "references is null");
            allowedValues = List.copyOf(requireNonNull(allowedValues, "allowedValues is null"));
        }

        boolean isText() {
            return type.equals("VARCHAR");
        }

        boolean isTemporal() {
            return type.equals("DATE") || type.startsWith("TIMESTAMP");
        }

        boolean isDecimal() {
            return type.startsWith("DECIMAL");
        }

        boolean isInteger() {
            return INTEGER_TYPES.contains(type);
        }

        /** The decimal places a DECIMAL(p,s) column keeps: s; 0 for any other type. */
        int scale() {
            Matcher decimal = DECIMAL_TYPE.matcher(type);
            return decimal.matches() ? Integer.parseInt(decimal.group(1)) : 0;
        }
    }

    /**
     * A CHECK constraint of the DDL, evaluated on the staged rows before anything is written.
     *
     * @param expression DuckDB's text of the constraint, over the table's column names
     * @param columns the columns it reads, the first being the one reported
     * @param reason what a violating row is told
     */
    public record Check(String expression, List<String> columns, String reason) {
        public Check {
            requireNonNull(expression, "expression is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            requireNonNull(reason, "reason is null");
        }
    }
}
