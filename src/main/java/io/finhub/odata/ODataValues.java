package io.finhub.odata;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.Property;
import org.apache.olingo.commons.api.data.ValueType;

/** Values between DuckDB, Java and Olingo: read by EDM type, checked against the declared facets. */
final class ODataValues {
    private ODataValues() {}

    /** The value at (1-based) {@code position} of the current row, as the Java type Olingo serialises for the column's EDM type. */
    static Object read(ResultSet row, int position, ODataColumn column) throws SQLException {
        Object value = switch (column.kind()) {
            case String -> row.getString(position);
            case Date -> row.getObject(position, LocalDate.class);
            case DateTimeOffset -> {
                LocalDateTime timestamp = row.getObject(position, LocalDateTime.class);
                yield timestamp == null ? null : timestamp.toInstant(ZoneOffset.UTC);
            }
            case Decimal -> row.getBigDecimal(position);
            case Boolean -> row.getObject(position, Boolean.class);
            case SByte -> row.getObject(position, Byte.class);
            case Int16 -> row.getObject(position, Short.class);
            case Int32 -> row.getObject(position, Integer.class);
            case Int64 -> row.getObject(position, Long.class);
            case Double -> row.getObject(position, Double.class);
            default -> throw new IllegalStateException("column type " + column.kind() + " is not mapped");
        };
        return row.wasNull() ? null : value;
    }

    /**
     * A decimal with no more places than the column declares. Trailing zeros may be dropped; a value
     * that would need rounding is a definition error and fails loudly instead.
     */
    static Object checked(Object value, ODataColumn column) {
        if (!(value instanceof BigDecimal decimal) || column.scale().isEmpty() || decimal.scale() <= column.scale().get()) {
            return value;
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (stripped.scale() > column.scale().get()) {
            throw new IllegalStateException("column " + column.name() + " declares scale " + column.scale().get() + " but has " + decimal);
        }
        return stripped;
    }

    static Entity entity(List<ODataColumn> columns, List<Integer> indexes, Object[] values) {
        Entity entity = new Entity();
        for (int position = 0; position < indexes.size(); position++) {
            ODataColumn column = columns.get(indexes.get(position));
            entity.addProperty(new Property(null, column.name(), ValueType.PRIMITIVE, checked(values[position], column)));
        }
        return entity;
    }
}
