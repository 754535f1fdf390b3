package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One entity set of the feed: its name, the entity type behind it, its columns and key, and where
 * its rows come from.
 *
 * @param typeName name of the entity type in {@code $metadata}
 * @param key names of the key columns; never nullable
 */
record ODataEntitySet(String name, String typeName, String description, List<ODataColumn> columns, List<String> key, ODataSource source) {
    ODataEntitySet {
        requireNonNull(name, "name is null");
        requireNonNull(typeName, "typeName is null");
        requireNonNull(description, "description is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        key = List.copyOf(requireNonNull(key, "key is null"));
        requireNonNull(source, "source is null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("entity set " + name + " has no key");
        }
        for (String keyColumn : key) {
            ODataColumn column = columns.stream().filter(candidate -> candidate.name().equals(keyColumn)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("entity set " + name + ": key " + keyColumn + " is not a column"));
            if (column.nullable()) {
                throw new IllegalArgumentException("entity set " + name + ": key " + keyColumn + " is nullable");
            }
        }
    }

    Optional<ODataCatalogView> catalogView() {
        return source instanceof ODataCatalogView view ? Optional.of(view) : Optional.empty();
    }
}
