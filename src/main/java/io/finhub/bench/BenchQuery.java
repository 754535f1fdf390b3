package io.finhub.bench;

import static java.util.Objects.requireNonNull;

/**
 * One dashboard question of the benchmark.
 *
 * @param name short identifier printed in the tables
 * @param area attribution, realization, forecast, budget or ROI
 * @param document the GraphQL document, sent as is; with {@code newDayEachRun}, its {@code {day}} is
 *     replaced by a day no earlier run of the benchmark asked for (see {@link BenchRunner})
 * @param newDayEachRun whether each execution but the warm ones asks about another day
 */
public record BenchQuery(String name, String area, String document, boolean newDayEachRun) {
    public BenchQuery {
        requireNonNull(name, "name is null");
        requireNonNull(area, "area is null");
        requireNonNull(document, "document is null");
        if (newDayEachRun != document.contains("{day}")) {
            throw new IllegalArgumentException(name + ": a query asks about a new day each run exactly when its document has {day}");
        }
    }

    public BenchQuery(String name, String area, String document) {
        this(name, area, document, false);
    }
}
