package io.finhub.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * Published once a change to the facts or dimensions has committed. Caches key on
 * {@link #version()}; alert rules re-evaluate when one of {@link #datasets()} feeds them.
 *
 * @param datasets the tables that changed, e.g. {@code fact_gl_actual}
 */
public record DataChanged(long version, String source, List<String> datasets, Instant committedAt) {
    public DataChanged {
        requireNonNull(source, "source is null");
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        requireNonNull(committedAt, "committedAt is null");
    }
}
