package io.finhub.realization;

import java.time.Clock;
import java.time.LocalDate;
import org.jdbi.v3.core.Handle;

/**
 * The day the customer-success facts run to: the latest health score, usage or success reading,
 * or pipeline change, never after today. Realization and forecasts default to it, so a store
 * loaded up to some day answers as of that day rather than as of an empty future.
 */
public final class RealizationAsOf {
    private static final String SQL = """
            SELECT greatest((SELECT max(scored_on) FROM fact_health_score),
                            (SELECT max(measured_on) FROM fact_utilization),
                            (SELECT max(measured_on) FROM fact_success_metric),
                            (SELECT max(greatest(created_on, coalesce(closed_on, created_on))) FROM fact_renewal_pipeline))""";

    private RealizationAsOf() {}

    public static LocalDate of(Handle handle, Clock clock) {
        LocalDate today = LocalDate.now(clock);
        LocalDate latest = handle.createQuery(SQL).mapTo(LocalDate.class).findOne().orElse(null);
        return latest == null || latest.isAfter(today) ? today : latest;
    }
}
