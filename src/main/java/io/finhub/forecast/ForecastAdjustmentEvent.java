package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A {@code forecast_adjustment} event of kind {@code ADJUSTMENT}: an adjustment was recorded (or cleared) in data version {@code dataVersion}. */
public record ForecastAdjustmentEvent(ForecastAdjustment adjustment, long dataVersion, Instant occurredAt) implements ForecastEvent {
    public ForecastAdjustmentEvent {
        requireNonNull(adjustment, "adjustment is null");
        requireNonNull(occurredAt, "occurredAt is null");
    }

    @Override
    public String kind() {
        return "ADJUSTMENT";
    }
}
