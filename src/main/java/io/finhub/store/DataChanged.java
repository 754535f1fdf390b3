package io.finhub.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Published once a change to the facts or dimensions has committed. Caches key on
 * {@link #version()}; alert rules re-evaluate when one of {@link #datasets()} feeds them.
 *
 * @param datasets the tables that changed, e.g. {@code fact_gl_actual}
 */
public record DataChanged(long version, String source, List<String> datasets, Instant committedAt) {
    /**
     * The datasets features record themselves beside the facts (a forecast override, a certified
     * quarter, a customer-success outcome): known tables, so a change naming one of them is no fact
     * change and no unknown one (a fixture, a seed) that could be anything.
     */
    public static final Set<String> RECORDS = Set.of("forecast_adjustment", "realization_certification", "attribution_cs_outcome",
            "attribution_cs_allocation");

    public DataChanged {
        requireNonNull(source, "source is null");
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        requireNonNull(committedAt, "committedAt is null");
    }
}
