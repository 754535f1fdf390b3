package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A {@code forecast_adjustment} event: an adjustment was recorded (or cleared) in data version {@code dataVersion}. */
public record ForecastAdjustmentEvent(ForecastAdjustment adjustment, long dataVersion, Instant occurredAt) {
    /** The topic the alerts feature publishes these events on. */
    public static final String EVENT_NAME = "forecast_adjustment";

    public ForecastAdjustmentEvent {
        requireNonNull(adjustment, "adjustment is null");
        requireNonNull(occurredAt, "occurredAt is null");
    }
}
