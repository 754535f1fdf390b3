package io.finhub.catalog;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.TimeGrain;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A breakdown a typed report offers (DEPARTMENT, CHANNEL, MONTH, ...): either a catalog dimension
 * or a time grain. {@link #split} turns a report's breakdown into the catalog request's parts.
 */
public interface ReportDimension {
    Optional<String> catalogDimension();

    Optional<TimeGrain> grain();

    /** The catalog dimensions and the one time grain of a breakdown; more than one grain is the caller's error. */
    record Breakdown(List<String> dimensions, Optional<TimeGrain> grain) {
        public Breakdown {
            dimensions = List.copyOf(dimensions);
        }
    }

    static Breakdown split(List<? extends ReportDimension> by, String report) {
        List<String> dimensions = new ArrayList<>();
        Optional<TimeGrain> grain = Optional.empty();
        for (ReportDimension dimension : by) {
            dimension.catalogDimension().ifPresent(dimensions::add);
            if (dimension.grain().isPresent()) {
                if (grain.isPresent()) {
                    throw new FinhubException(ErrorCode.BAD_REQUEST, "break a " + report + " down by at most one of MONTH, QUARTER, YEAR");
                }
                grain = dimension.grain();
            }
        }
        return new Breakdown(dimensions, grain);
    }
}
