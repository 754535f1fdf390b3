package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import io.finhub.store.TimeGrain;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL a request turns into, with its bound parameters, and how to read the result back.
 *
 * @param groupsSql a query returning every group (period, d0.., m0..), used to count groups
 * @param pageSql the page of groups with labels, ordered and limited in SQL unless {@code sortInJava}
 * @param baseMeasures base measures in column order m0, m1, ...
 * @param sortInJava true when the order involves a derived measure, which only Java can compute exactly
 */
record MetricsPlan(String groupsSql, String pageSql, Map<String, Object> parameters, Optional<TimeGrain> grain,
        List<Dimension> dimensions, List<Measure> baseMeasures, List<Measure> requestedMeasures, boolean sortInJava) {
    MetricsPlan {
        requireNonNull(groupsSql, "groupsSql is null");
        requireNonNull(pageSql, "pageSql is null");
        parameters = Map.copyOf(parameters);
        requireNonNull(grain, "grain is null");
        dimensions = List.copyOf(dimensions);
        baseMeasures = List.copyOf(baseMeasures);
        requestedMeasures = List.copyOf(requestedMeasures);
    }
}
