package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.TimeGrain;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A question for the catalog: measures × dimensions × filters × time grain, ordered and paged.
 *
 * @param from first day included, if bounded
 * @param to last day included, if bounded
 */
public record MetricsRequest(List<String> measures, List<String> dimensions, List<Filter> filters, Optional<TimeGrain> timeGrain,
        Optional<LocalDate> from, Optional<LocalDate> to, List<Order> orderBy, int limit, int offset) {
    public static final int MAX_LIMIT = 100_000;

    public MetricsRequest {
        measures = List.copyOf(requireNonNull(measures, "measures is null"));
        dimensions = List.copyOf(requireNonNull(dimensions, "dimensions is null"));
        filters = List.copyOf(requireNonNull(filters, "filters is null"));
        requireNonNull(timeGrain, "timeGrain is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        orderBy = List.copyOf(requireNonNull(orderBy, "orderBy is null"));
    }

    /** Rejects a page outside 1..{@link #MAX_LIMIT} rows or starting before the first row, naming the argument. */
    public static void checkPage(int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "offset must not be negative, was " + offset);
        }
    }

    public static MetricsRequest of(List<String> measures, List<String> dimensions) {
        return new MetricsRequest(measures, dimensions, List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), 1000, 0);
    }

    public MetricsRequest withGrain(TimeGrain grain) {
        return new MetricsRequest(measures, dimensions, filters, Optional.of(grain), from, to, orderBy, limit, offset);
    }

    public MetricsRequest withRange(LocalDate first, LocalDate last) {
        return new MetricsRequest(measures, dimensions, filters, timeGrain, Optional.ofNullable(first), Optional.ofNullable(last), orderBy, limit, offset);
    }

    public MetricsRequest withFilters(List<Filter> newFilters) {
        return new MetricsRequest(measures, dimensions, newFilters, timeGrain, from, to, orderBy, limit, offset);
    }

    public MetricsRequest withOrder(List<Order> newOrder) {
        return new MetricsRequest(measures, dimensions, filters, timeGrain, from, to, newOrder, limit, offset);
    }

    public MetricsRequest withPage(int newLimit, int newOffset) {
        return new MetricsRequest(measures, dimensions, filters, timeGrain, from, to, orderBy, newLimit, newOffset);
    }

    /** A restriction on one dimension's values. */
    public record Filter(String dimension, Operator operator, List<String> values) {
        public Filter {
            requireNonNull(dimension, "dimension is null");
            requireNonNull(operator, "operator is null");
            values = List.copyOf(requireNonNull(values, "values is null"));
        }
    }

    public enum Operator {
        EQ,
        NE,
        IN,
        NOT_IN
    }

    /** Sort by {@code period}, a requested dimension or a requested measure. */
    public record Order(String field, boolean descending) {
        public Order {
            requireNonNull(field, "field is null");
        }
    }
}
