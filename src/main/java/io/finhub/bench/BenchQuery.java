package io.finhub.bench;

import static java.util.Objects.requireNonNull;

/**
 * One dashboard question of the benchmark.
 *
 * @param name short identifier printed in the tables
 * @param area attribution, realization, forecast, budget or ROI
 * @param document the GraphQL document, sent as is
 */
public record BenchQuery(String name, String area, String document) {
    public BenchQuery {
        requireNonNull(name, "name is null");
        requireNonNull(area, "area is null");
        requireNonNull(document, "document is null");
    }
}
