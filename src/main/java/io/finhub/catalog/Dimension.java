package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A way to slice measures. Facts say which column carries it ({@link Fact#dimensionColumns()});
 * the optional label lookup turns a key into the name a person reads (a channel's name for its id).
 *
 * @param labelTable dimension table holding the label, e.g. {@code dim_channel}
 * @param labelKey its key column
 * @param labelColumn its label column
 */
public record Dimension(String name, String description, Optional<String> labelTable, Optional<String> labelKey, Optional<String> labelColumn) {
    public Dimension {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(labelTable, "labelTable is null");
        requireNonNull(labelKey, "labelKey is null");
        requireNonNull(labelColumn, "labelColumn is null");
    }

    public static Dimension plain(String name, String description) {
        return new Dimension(name, description, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Dimension labelled(String name, String description, String table, String key, String label) {
        return new Dimension(name, description, Optional.of(table), Optional.of(key), Optional.of(label));
    }

    public boolean hasLabel() {
        return labelTable.isPresent();
    }
}
