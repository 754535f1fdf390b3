package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A view whose numbers are not catalog measures but a feature service's (the MRR bridge,
 * recognised revenue): the rows are exactly what that service returns to GraphQL.
 */
final class ODataServiceView<T> implements ODataRowSource {
    private final Supplier<List<T>> service;
    private final List<Field<T>> fields;

    /** One column and how to read it from a service row. */
    record Field<T>(ODataColumn column, Function<T, Object> value) {
        Field {
            requireNonNull(column, "column is null");
            requireNonNull(value, "value is null");
        }
    }

    ODataServiceView(Supplier<List<T>> service, List<Field<T>> fields) {
        this.service = requireNonNull(service, "service is null");
        this.fields = List.copyOf(fields);
    }

    List<ODataColumn> columns() {
        return fields.stream().map(Field::column).toList();
    }

    @Override
    public List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        for (T row : service.get()) {
            Object[] values = new Object[fields.size()];
            for (int index = 0; index < fields.size(); index++) {
                values[index] = fields.get(index).value().apply(row);
            }
            rows.add(values);
        }
        return rows;
    }
}
